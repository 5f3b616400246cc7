import { start } from './start.js';

/** The media service process: `node services/media/dist/main.js` (the dev image, under --watch). */
await start();
