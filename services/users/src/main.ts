import { runServiceMain } from '@agora/mesh';
import { loadUsersConfig } from './config.js';
import { wireUsers } from './wiring.js';

/** The users service process: `node services/users/dist/main.js`. */
await runServiceMain('users', loadUsersConfig, wireUsers);
