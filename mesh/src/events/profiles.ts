import * as z from 'zod';
import type { Queryable } from '../db/database.js';
import type { EventEnvelope } from './envelope.js';

/** `profile.updated`'s payload: what other services show of a profile (docs/events.md). */
const profileState = z.object({
  username: z.string().min(1).max(60),
  displayName: z.string().max(200),
  avatarMediaId: z.string().uuid().nullable(),
});

/** Where a service keeps its read model of profiles, and the ids erased from it for good. */
export interface ProfileReadModel {
  /** Columns: id, username, display_name, avatar_media_id, profile_seq, updated_at. */
  table: string;
  /** One `id` column: accounts deleted, which no late event may bring back. */
  tombstones: string;
}

/**
 * The read model's two tables, as posts' and notifications' first migrations created them: one
 * definition, so the columns applyProfileState writes are the columns every read model has.
 */
export function profileReadModelTablesSql(model: ProfileReadModel): string {
  return `
    CREATE TABLE ${model.table} (
      id uuid PRIMARY KEY,
      username text NOT NULL,
      display_name text NOT NULL,
      avatar_media_id uuid,
      profile_seq bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE ${model.tombstones} (
      id uuid PRIMARY KEY,
      deleted_at timestamptz NOT NULL DEFAULT now()
    );`;
}

/**
 * Applies a `profile.updated` to a read model of profiles (posts' authors, notifications' actors):
 * one upsert that a later event already applied (a higher profile_seq) or an erased account (a
 * tombstone) leaves as it is. A malformed payload throws: a 400 and a dead letter.
 */
export async function applyProfileState(tx: Queryable, event: EventEnvelope, model: ProfileReadModel): Promise<void> {
  const p = profileState.parse(event.payload);
  await tx.execute(
    `INSERT INTO ${model.table} AS a (id, username, display_name, avatar_media_id, profile_seq)
     SELECT $1::uuid, $2::text, $3::text, $4::uuid, $5::bigint
      WHERE NOT EXISTS (SELECT 1 FROM ${model.tombstones} WHERE id = $1::uuid)
     ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, display_name = EXCLUDED.display_name,
       avatar_media_id = EXCLUDED.avatar_media_id, profile_seq = EXCLUDED.profile_seq, updated_at = now()
     WHERE a.profile_seq < EXCLUDED.profile_seq`,
    [event.aggregateId, p.username, p.displayName, p.avatarMediaId, event.sequence],
  );
}
