import type { Logger } from 'pino';
import { AuditEvent } from '../models/index.js';

/**
 * Security-relevant events go to the append-only audit table and to the log as a structured event.
 * Never a password, code or token: callers pass ids and reasons only.
 */
export type AuditAction =
  | 'register'
  | 'login'
  | 'refresh'
  | 'refresh_reuse'
  | 'logout'
  | 'sessions_revoked'
  | 'account_deleted'
  | 'account_suspended'
  | 'account_reinstated'
  | 'login_code_requested'
  | 'two_factor_setup_started'
  | 'two_factor_enabled'
  | 'two_factor_disabled'
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
  constructor(private readonly logger: Logger) {}

  async record(entry: AuditEntry): Promise<void> {
    await AuditEvent.create({
      action: entry.action,
      outcome: entry.outcome,
      actorId: entry.actorId ?? null,
      targetId: entry.targetId ?? null,
      ip: entry.ip ?? null,
      details: entry.details ?? {},
    });
    this.logger.info({ audit: { ...entry } }, `audit ${entry.action} ${entry.outcome}`);
  }
}
