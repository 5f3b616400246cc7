import { runMigrateMain } from '@agora/mesh';
import { migrations } from './migrations/index.js';

/** `node services/notifications/dist/migrate.js`: applies pending migrations (the pod's init container in the cluster). */
await runMigrateMain('notifications', migrations);
