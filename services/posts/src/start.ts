import { runServiceMain } from '@agora/mesh';
import { loadPostsConfig } from './config.js';
import { wirePosts } from './wiring.js';

/**
 * Starts the posts service: what main.ts runs, and what its bundle exports (scripts/bundle.mjs), so the
 * bundle's modules can be initialised without starting the service when its code cache is made.
 */
export const start = (): Promise<void> => runServiceMain('posts', loadPostsConfig, wirePosts);
