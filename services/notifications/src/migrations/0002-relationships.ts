import { relationshipsMigration } from '@agora/mesh';

/** The read model of users' blocks and mutes (relationship.updated): a recipient hears nothing from whom they block or mute. */
export const relationships = relationshipsMigration('0002-relationships');
