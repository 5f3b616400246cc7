import { migrateService } from '@agora/mesh';
import { migrations } from './migrations/index.js';

/** `node services/media/dist/migrate.js`: applies pending migrations (a Kubernetes Job in the cluster). */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('media migrate: DATABASE_URL is not set (postgres://user:pass@host:5432/agora_media)');
  process.exit(78);
}
try {
  await migrateService('media', url, migrations);
} catch (err) {
  console.error('media migrate: failed:', err instanceof Error ? err.message : err);
  process.exit(1);
}
