import type { Queryable } from '@agora/mesh';
import type { AuditLog } from './audit.js';

export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Grants or revokes a role (roles live with the account because they go into the token). The change
 * reaches tokens at the next refresh or sign-in; it is audited either way.
 */
export async function changeRole(
  db: Queryable,
  audit: AuditLog,
  input: { username: string; role: Role; grant: boolean; actor: string },
): Promise<{ userId: string; roles: string[] } | undefined> {
  const rows = await db.query<{ id: string; roles: string[] }>(
    input.grant
      ? `UPDATE users SET roles = array_append(roles, $1::text), updated_at = now()
          WHERE lower(username) = lower($2) AND status <> 'deleted' AND NOT ($1::text = ANY(roles)) RETURNING id, roles`
      : `UPDATE users SET roles = array_remove(roles, $1::text), updated_at = now()
          WHERE lower(username) = lower($2) AND status <> 'deleted' AND $1::text = ANY(roles) RETURNING id, roles`,
    [input.role, input.username],
  );
  const [row] = rows;
  if (!row) {
    const [existing] = await db.query<{ id: string; roles: string[] }>(
      `SELECT id, roles FROM users WHERE lower(username) = lower($1) AND status <> 'deleted'`,
      [input.username],
    );
    return existing ? { userId: existing.id, roles: existing.roles } : undefined; // already as asked
  }
  await audit.record({
    action: 'role_changed',
    outcome: 'success',
    targetId: row.id,
    details: { role: input.role, change: input.grant ? 'granted' : 'revoked', by: input.actor },
  });
  return { userId: row.id, roles: row.roles };
}
