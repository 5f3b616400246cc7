import { createDatabase, createLogger } from '@agora/mesh';
import { AuditLog } from './domain/audit.js';
import { markEmailVerified } from './domain/email-addresses.js';

/**
 * `npm run verify-email -w services/auth -- <username>…`: an operator marks the current address of
 * each named account verified (an address confirmed out of band; the local run's demo users).
 * Audited as `email_verified`.
 */
const usernames = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (usernames.length === 0 || !process.env.DATABASE_URL) {
  console.error('usage: DATABASE_URL=… verify-email <username>…');
  process.exit(64);
}
const db = createDatabase({ url: process.env.DATABASE_URL });
try {
  const audit = new AuditLog(db, createLogger('auth-verify-email', process.env.LOG_LEVEL ?? 'warn'));
  const actor = `cli:${process.env.USER ?? 'operator'}`;
  for (const username of usernames) {
    const verified = await markEmailVerified(db, audit, { username, actor });
    if (verified === undefined) {
      console.error(`verify-email: no active account named ${username}`);
      process.exitCode = 1;
    } else {
      console.log(JSON.stringify({ username, emailVerified: true }));
    }
  }
} finally {
  await db.close();
}
