import type { Logger } from 'pino';
import type { Queryable } from '@agora/mesh';

/**
 * Security-relevant events go to the append-only audit table and to the log as a structured event.
 * Never a password, code or token: callers pass ids and reasons only.
 */
export type AuditAction =
  | 'register'
  | 'login'
  | 'reauthenticate'
  | 'refresh'
  | 'refresh_reuse'
  | 'logout'
  | 'sessions_revoked'
  | 'session_revoked'
  | 'password_changed'
  | 'password_reset_requested'
  | 'password_reset'
  | 'email_verified'
  | 'email_change_requested'
  | 'email_changed'
  | 'username_changed'
  | 'account_deleted'
  | 'account_suspended'
  | 'account_reinstated'
  | 'login_code_requested'
  | 'two_factor_setup_started'
  | 'two_factor_enabled'
  | 'two_factor_disabled'
  | 'second_factor_locked'
  | 'role_changed'
  | 'key_rotated';

export interface AuditEntry {
  action: AuditAction;
  outcome: 'success' | 'failure';
  actorId?: string | null;
  targetId?: string | null;
  ip?: string | null;
  details?: Record<string, string | number | boolean>;
}

export class AuditLog {
  constructor(
    private readonly db: Queryable,
    private readonly logger: Logger,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.execute('INSERT INTO audit_events (action, outcome, actor_id, target_id, ip, details) VALUES ($1, $2, $3, $4, $5, $6)', [
      entry.action,
      entry.outcome,
      entry.actorId ?? null,
      entry.targetId ?? null,
      entry.ip ?? null,
      JSON.stringify(entry.details ?? {}),
    ]);
    this.logger.info({ audit: { ...entry } }, `audit ${entry.action} ${entry.outcome}`);
  }
}
