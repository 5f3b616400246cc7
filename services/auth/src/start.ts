import { runServiceMain } from '@agora/mesh';
import { loadAuthConfig } from './config.js';
import { wireAuth } from './wiring.js';

/**
 * Starts the auth service: what main.ts runs, and what its bundle exports (scripts/bundle.mjs), so the
 * bundle's modules can be initialised without starting the service when its code cache is made.
 */
export const start = (): Promise<void> => runServiceMain('auth', loadAuthConfig, wireAuth);
