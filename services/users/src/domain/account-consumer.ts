import * as z from 'zod';
import type { EventHandler, EventType, Queryable } from '@agora/mesh';
import { eraseProfile } from './profiles.js';
import type { ProfileEvents } from './profile-events.js';

/** What auth's `account.*` events (other than deleted) carry: the account after the change. */
const accountState = z.object({
  username: z.string().regex(/^[A-Za-z0-9_]{1,60}$/, 'must be a username'),
  status: z.enum(['active', 'suspended']),
});

/**
 * How users applies auth's account events. Each carries the whole state, so one upsert applies any
 * of them: it creates the profile of a new account (registration makes a user findable at once) and
 * updates username and suspension — unless the profile already reflects a later event
 * (account_seq), or the account was erased (tombstone). account.deleted erases the profile and its
 * follows with the counts of everyone it touched.
 */
export function accountHandlers(profileEvents: ProfileEvents): Partial<Record<EventType, EventHandler>> {
  const apply: EventHandler = async (tx, event) => {
    const state = accountState.parse(event.payload);
    const changed = await upsertFromAccount(tx, event.aggregateId, state.username, state.status === 'suspended', event.sequence);
    if (changed) await profileEvents.updated(tx, event.aggregateId);
  };
  return {
    'account.registered': apply,
    'account.updated': apply,
    'account.suspended': apply,
    'account.unsuspended': apply,
    'account.deleted': (tx, event) => eraseProfile(tx, event.aggregateId),
  };
}

async function upsertFromAccount(tx: Queryable, id: string, username: string, suspended: boolean, sequence: number): Promise<boolean> {
  const changed = await tx.execute(
    `INSERT INTO profiles AS p (id, username, display_name, account_seq, suspended_at)
     SELECT $1::uuid, $2::text, $2::text, $3::bigint, CASE WHEN $4::boolean THEN now() END
      WHERE NOT EXISTS (SELECT 1 FROM deleted_profiles WHERE id = $1::uuid)
     ON CONFLICT (id) DO UPDATE SET
       username = EXCLUDED.username,
       account_seq = EXCLUDED.account_seq,
       suspended_at = CASE WHEN $4::boolean THEN COALESCE(p.suspended_at, now()) END,
       updated_at = now()
     WHERE p.account_seq < EXCLUDED.account_seq`,
    [id, username, sequence, suspended],
  );
  return changed > 0;
}
