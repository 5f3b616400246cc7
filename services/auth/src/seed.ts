import { createDatabase, createLogger } from '@agora/mesh';
import { AuditLog } from './domain/audit.js';
import { changeRole } from './domain/roles.js';
import { DEMO_PASSWORD, DEMO_USERS, apiAs, demoEmail, expectStatus } from '@agora/mesh/local/demo';

/**
 * Local-run demo data, auth's part: the demo accounts (password `agora-demo-password`), and the admin
 * role for the demo admin. Idempotent: existing accounts answer 409 and are left alone.
 */
const ingress = process.env.AGORA_INGRESS_URL;
if (!ingress || !process.env.DATABASE_URL) {
  console.error('auth seed: AGORA_INGRESS_URL and DATABASE_URL are required (run by `npm start`)');
  process.exit(78);
}
const api = apiAs(ingress);
let created = 0;
for (const user of DEMO_USERS) {
  const res = await api('POST', '/api/v1/auth/register', { username: user.username, email: demoEmail(user.username), password: DEMO_PASSWORD });
  expectStatus(`register ${user.username}`, res, 201, 409);
  if (res.status === 201) created += 1;
}
// Roles are auth's data: the demo admin gets its role as an operator would give it (audited).
const db = createDatabase({ url: process.env.DATABASE_URL });
try {
  const audit = new AuditLog(db, createLogger('auth-seed', 'warn'));
  for (const admin of DEMO_USERS.filter((u) => u.admin)) {
    await changeRole(db, audit, { username: admin.username, role: 'admin', grant: true, actor: 'local-demo-seed' });
  }
} finally {
  await db.close();
}
console.log(`auth seed: ${created} demo account(s) created, ${DEMO_USERS.length - created} already there; password "${DEMO_PASSWORD}"`);
