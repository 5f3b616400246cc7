import { runMigrateMain } from '@agora/mesh';
import { migrations } from './migrations/index.js';

/** `node services/media/dist/migrate.js`: applies pending migrations (the pod's init container in the cluster). */
await runMigrateMain('media', migrations);
