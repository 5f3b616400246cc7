import { runServiceMain } from '@agora/mesh';
import { loadUsersConfig } from './config.js';
import { wireUsers } from './wiring.js';

/**
 * Starts the users service: what main.ts runs, and what its bundle exports (scripts/bundle.mjs), so the
 * bundle's modules can be initialised without starting the service when its code cache is made.
 */
export const start = (): Promise<void> => runServiceMain('users', loadUsersConfig, wireUsers);
