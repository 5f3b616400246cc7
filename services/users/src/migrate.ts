import { migrateService } from '@agora/mesh';
import { migrations } from './migrations/index.js';

/** `node services/users/dist/migrate.js`: applies pending migrations (an init container in the cluster). */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('users migrate: DATABASE_URL is not set (postgres://user:pass@host:5432/agora_users)');
  process.exit(78);
}
try {
  await migrateService('users', url, migrations);
} catch (err) {
  console.error('users migrate: failed:', err instanceof Error ? err.message : err);
  process.exit(1);
}
