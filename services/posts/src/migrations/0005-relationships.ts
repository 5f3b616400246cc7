import { relationshipsMigration } from '@agora/mesh';

/** The read model of users' blocks and mutes (relationship.updated): comments, likes and the feed consult it. */
export const relationships = relationshipsMigration('0005-relationships');
