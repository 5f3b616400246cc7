import { runServiceMain } from '@agora/mesh';
import { loadMediaConfig } from './config.js';
import { wireMedia } from './wiring.js';

/**
 * Starts the media service: what main.ts runs, and what its bundle exports (scripts/bundle.mjs), so the
 * bundle's modules can be initialised without starting the service when its code cache is made.
 */
export const start = (): Promise<void> => runServiceMain('media', loadMediaConfig, wireMedia);
