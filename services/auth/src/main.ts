import { start } from './start.js';

/** The auth service process: `node services/auth/dist/main.js` (the dev image, under --watch). */
await start();
