import { runServiceMain } from '@agora/mesh';
import { loadAuthConfig } from './config.js';
import { wireAuth } from './wiring.js';

/** The auth service process: `node services/auth/dist/main.js`. */
await runServiceMain('auth', loadAuthConfig, wireAuth);
