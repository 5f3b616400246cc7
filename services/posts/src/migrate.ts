import { migrateService } from '@agora/mesh';
import { migrations } from './migrations/index.js';

/** `node services/posts/dist/migrate.js`: applies pending migrations (the Deployment's init container). */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('posts migrate: DATABASE_URL is not set (postgres://user:pass@host:5432/agora_posts)');
  process.exit(78);
}
try {
  await migrateService('posts', url, migrations);
} catch (err) {
  console.error('posts migrate: failed:', err instanceof Error ? err.message : err);
  process.exit(1);
}
