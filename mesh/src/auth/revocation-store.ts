import type { Queryable } from '../db/database.js';
import type { RevocationEntry } from './revocation-set.js';

/**
 * The `revocations` table, the same in every service (created by mesh's events migrations): the
 * revocations this service learnt from auth's events, written by whichever replica the event reached,
 * in the inbox's transaction. Every replica reads it into its RevocationSet (revocation-sync.ts).
 *
 * `txid` is the writing transaction's id: a reader remembers the oldest transaction still running
 * when it read (`pg_snapshot_xmin`), and its next read takes every row written by that transaction
 * or a later one. A row committed late by a transaction that began before the last read is therefore
 * never missed, which a timestamp watermark cannot promise.
 */
export const REVOCATIONS_TABLE_SQL = `
  CREATE TABLE revocations (
    kind text NOT NULL CHECK (kind IN ('session', 'account')),
    subject uuid NOT NULL,
    user_id uuid NOT NULL,
    state text NOT NULL CHECK (state IN ('revoked', 'suspended', 'deleted', 'active')),
    revoked_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    account_seq bigint NOT NULL DEFAULT 0,
    txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (kind, subject)
  );
  CREATE INDEX revocations_txid_idx ON revocations (txid);
  CREATE INDEX revocations_expires_at_idx ON revocations (expires_at);
`;

/** Revoked sessions: a grow-only set, so any order of arrival ends the same. */
export async function recordSessionRevocations(
  tx: Queryable,
  r: { userId: string; sessionIds: readonly string[]; revokedAt: Date; expiresAt: Date },
): Promise<void> {
  if (r.sessionIds.length === 0) return;
  await tx.execute(
    `INSERT INTO revocations (kind, subject, user_id, state, revoked_at, expires_at)
     SELECT 'session', sid, $2::uuid, 'revoked', $3, $4 FROM unnest($1::uuid[]) AS sid
     ON CONFLICT (kind, subject) DO UPDATE SET expires_at = GREATEST(revocations.expires_at, EXCLUDED.expires_at), txid = pg_current_xact_id()
      WHERE revocations.expires_at < EXCLUDED.expires_at`,
    [r.sessionIds, r.userId, r.revokedAt, r.expiresAt],
  );
}

/**
 * An account's state after an `account.suspended/unsuspended/deleted` event: kept unless the row
 * already holds a later one (`account_seq`) or the account is deleted (terminal). An `active` row is
 * the marker that lifts a suspension, so a suspension delivered late cannot come back.
 */
export async function recordAccountState(
  tx: Queryable,
  r: { userId: string; state: 'suspended' | 'deleted' | 'active'; sequence: number; revokedAt: Date; expiresAt: Date },
): Promise<void> {
  await tx.execute(
    `INSERT INTO revocations AS r (kind, subject, user_id, state, revoked_at, expires_at, account_seq)
     VALUES ('account', $1, $1, $2, $3, $4, $5)
     ON CONFLICT (kind, subject) DO UPDATE SET state = EXCLUDED.state, revoked_at = EXCLUDED.revoked_at,
       expires_at = EXCLUDED.expires_at, account_seq = EXCLUDED.account_seq, txid = pg_current_xact_id()
      WHERE r.account_seq < EXCLUDED.account_seq AND r.state <> 'deleted'`,
    [r.userId, r.state, r.revokedAt, r.expiresAt, r.sequence],
  );
}

/** One read: the rows written since `horizon` (all live rows when undefined), and the next horizon. */
export async function readRevocations(db: Queryable, horizon: string | undefined): Promise<{ rows: RevocationEntry[]; horizon: string }> {
  const rows = await db.query<{
    horizon: string;
    kind: RevocationEntry['kind'] | null;
    subject: string;
    state: RevocationEntry['state'];
    revoked_at: Date;
    expires_at: Date;
  }>(
    // One statement, so the horizon belongs to the snapshot the rows were read in. Two statements,
    // not one with a CASE, so each uses its index (expires_at at start, txid at every tick).
    `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon)
     SELECT h.horizon, r.kind, r.subject, r.state, r.revoked_at, r.expires_at
       FROM h LEFT JOIN revocations r ON ${horizon === undefined ? 'r.expires_at > now()' : 'r.txid >= $1::xid8'}
      ORDER BY r.revoked_at`,
    horizon === undefined ? [] : [horizon],
  );
  return {
    horizon: rows[0]!.horizon,
    rows: rows
      .filter((r) => r.kind !== null)
      .map((r) => ({
        kind: r.kind!,
        subject: r.subject,
        state: r.state,
        revokedAt: r.revoked_at.getTime(),
        expiresAt: r.expires_at.getTime(),
      })),
  };
}

/** Deletes rows no token can need any more; an `active` marker goes too (a late suspension it would stop has expired with it). */
export async function deleteExpiredRevocations(db: Queryable): Promise<number> {
  return db.execute(`DELETE FROM revocations WHERE expires_at < now() - interval '1 hour'`);
}
