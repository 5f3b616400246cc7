import { runServiceMain } from '@agora/mesh';
import { loadMediaConfig } from './config.js';
import { wireMedia } from './wiring.js';

/** The media service process: `node services/media/dist/main.js`. */
await runServiceMain('media', loadMediaConfig, wireMedia);
