import { createDatabase, createLogger } from '@agora/mesh';
import { AuditLog } from './domain/audit.js';
import { changeRole, ROLES, type Role } from './domain/roles.js';

/**
 * `npm run grant-role -w services/auth -- <username> <role> [--revoke]`: an operator grants or revokes
 * a role (e.g. the first admin). Audited as `role_changed`; tokens carry it from the next refresh.
 */
const [username, role] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const revoke = process.argv.includes('--revoke');
if (!username || !ROLES.includes(role as Role) || !process.env.DATABASE_URL) {
  console.error(`usage: DATABASE_URL=… grant-role <username> <${ROLES.join('|')}> [--revoke]`);
  process.exit(64);
}
const db = createDatabase({ url: process.env.DATABASE_URL });
try {
  const audit = new AuditLog(db, createLogger('auth-grant-role', process.env.LOG_LEVEL ?? 'warn'));
  const actor = `cli:${process.env.USER ?? 'operator'}`;
  const result = await changeRole(db, audit, { username, role: role as Role, grant: !revoke, actor });
  if (!result) {
    console.error(`grant-role: no account named ${username}`);
    process.exitCode = 1;
  } else {
    console.log(JSON.stringify({ username, roles: result.roles }));
  }
} finally {
  await db.close();
}
