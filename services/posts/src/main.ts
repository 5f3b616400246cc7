import { start } from './start.js';

/** The posts service process: `node services/posts/dist/main.js` (the dev image, under --watch). */
await start();
