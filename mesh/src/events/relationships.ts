import * as z from 'zod';
import type { Migration } from '../db/migrator.js';
import type { Queryable } from '../db/database.js';
import type { EventEnvelope } from './envelope.js';

/**
 * The read model of blocks and mutes that users' `relationship.updated` keeps in the services that
 * act on them (posts: comments, likes and the feed; notifications: what reaches a recipient). The
 * same table and handler in each, so they live here once.
 *
 * One row per (owner, other) pair with the state after the owner's last change and that change's
 * sequence (`relationship_seq`, per pair at users): an older event arriving late is dropped.
 */
export const relationshipsMigration = (name: string): Migration => ({
  name,
  async up({ context: db }) {
    await db.execute(`
      CREATE TABLE relationships (
        owner_id uuid NOT NULL,
        other_id uuid NOT NULL,
        blocked boolean NOT NULL,
        muted boolean NOT NULL,
        relationship_seq bigint NOT NULL,
        PRIMARY KEY (owner_id, other_id)
      );
      -- "Whom has this user blocked / who blocked this user": erasure of an account.
      CREATE INDEX relationships_other_idx ON relationships (other_id);
    `);
  },
  async down({ context: db }) {
    await db.execute('DROP TABLE relationships');
  },
});

const relationshipState = z.object({
  ownerId: z.string().uuid(),
  otherId: z.string().uuid(),
  blocked: z.boolean(),
  muted: z.boolean(),
});

/** Applies a `relationship.updated` (a malformed payload throws: a 400 and a dead letter). */
export async function applyRelationship(tx: Queryable, event: EventEnvelope): Promise<void> {
  const r = relationshipState.parse(event.payload);
  await tx.execute(
    `INSERT INTO relationships AS r (owner_id, other_id, blocked, muted, relationship_seq)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (owner_id, other_id) DO UPDATE SET blocked = EXCLUDED.blocked, muted = EXCLUDED.muted,
       relationship_seq = EXCLUDED.relationship_seq
     WHERE r.relationship_seq < EXCLUDED.relationship_seq`,
    [r.ownerId.toLowerCase(), r.otherId.toLowerCase(), r.blocked, r.muted, event.sequence],
  );
}

/** Forgets every relationship of an erased account, in either role. */
export async function eraseRelationships(tx: Queryable, userId: string): Promise<void> {
  await tx.execute('DELETE FROM relationships WHERE owner_id = $1 OR other_id = $1', [userId]);
}
