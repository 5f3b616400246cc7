import type { Sequelize } from 'sequelize';
import { QueryTypes } from 'sequelize';
import type { AuditLog } from './audit.js';

export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Grants or revokes a role (roles live with the account because they go into the token). The change
 * reaches tokens at the next refresh or sign-in; it is audited either way.
 */
export async function changeRole(
  sequelize: Sequelize,
  audit: AuditLog,
  input: { username: string; role: Role; grant: boolean; actor: string },
): Promise<{ userId: string; roles: string[] } | undefined> {
  const rows = await sequelize.query<{ id: string; roles: string[] }>(
    input.grant
      ? `UPDATE users SET roles = array_append(roles, :role), updated_at = now()
          WHERE lower(username) = lower(:username) AND status <> 'deleted' AND NOT (:role = ANY(roles)) RETURNING id, roles`
      : `UPDATE users SET roles = array_remove(roles, :role), updated_at = now()
          WHERE lower(username) = lower(:username) AND status <> 'deleted' AND :role = ANY(roles) RETURNING id, roles`,
    { replacements: { role: input.role, username: input.username }, type: QueryTypes.SELECT },
  );
  const [row] = rows;
  if (!row) {
    const [existing] = await sequelize.query<{ id: string; roles: string[] }>(
      `SELECT id, roles FROM users WHERE lower(username) = lower(:username) AND status <> 'deleted'`,
      { replacements: { username: input.username }, type: QueryTypes.SELECT },
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
