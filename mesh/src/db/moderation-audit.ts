import type { Logger } from 'pino';
import type { Queryable } from './database.js';
import type { Migration } from './migrator.js';

/**
 * The one definition of an `audit_events` table: auth's audit log (its migration 0001) and every
 * service that moderates create it from this, so one query shape reads the audit trail of every
 * service. Append-only: the application only ever INSERTs here.
 */
export const AUDIT_EVENTS_TABLE_SQL = `
  CREATE TABLE audit_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    occurred_at timestamptz NOT NULL DEFAULT now(),
    action text NOT NULL,
    outcome text NOT NULL,
    actor_id uuid,
    target_id uuid,
    ip text,
    details jsonb NOT NULL DEFAULT '{}'::jsonb
  );
  CREATE INDEX audit_events_target_idx ON audit_events (target_id, occurred_at DESC);
  CREATE INDEX audit_events_action_idx ON audit_events (action, occurred_at DESC);
`;

/**
 * Moderation actions as audit events, in one schema wherever they happen (AUDIT_EVENTS_TABLE_SQL,
 * auth's table too). A service that moderates adds this table with
 * `moderationAuditMigration` and records each action on the transaction that makes it, so an
 * action and its audit row commit together or not at all.
 */
export const moderationAuditMigration = (name: string): Migration => ({
  name,
  async up({ context: db }) {
    await db.execute(AUDIT_EVENTS_TABLE_SQL);
  },
  async down({ context: db }) {
    await db.execute('DROP TABLE audit_events');
  },
});

export type ModerationAction = 'post_removed' | 'comment_removed' | 'account_suspended' | 'account_reinstated' | 'report_resolved';

export interface ModerationAuditEntry {
  action: ModerationAction;
  /** The admin who acted. */
  actorId: string;
  /** The user the action is about (the content's author, or the account); null when not known here. */
  targetId: string | null;
  ip?: string | null;
  /** Ids only: never content, tokens or free text. */
  details?: Record<string, string>;
}

/** Writes the audit row on `tx` and, once it is written, the structured log line. */
export async function recordModeration(tx: Queryable, logger: Logger, entry: ModerationAuditEntry): Promise<void> {
  await tx.execute(`INSERT INTO audit_events (action, outcome, actor_id, target_id, ip, details) VALUES ($1, 'success', $2, $3, $4, $5)`, [
    entry.action,
    entry.actorId,
    entry.targetId,
    entry.ip ?? null,
    JSON.stringify(entry.details ?? {}),
  ]);
  logger.info({ audit: { ...entry, outcome: 'success' } }, `audit ${entry.action} success`);
}
