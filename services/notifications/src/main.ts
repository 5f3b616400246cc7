import { start } from './start.js';

/** The notifications service process: `node services/notifications/dist/main.js` (the dev image, under --watch). */
await start();
