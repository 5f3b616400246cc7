import { start } from './start.js';

/** The users service process: `node services/users/dist/main.js` (the dev image, under --watch). */
await start();
