import { runServiceMain } from '@agora/mesh';
import { loadPostsConfig } from './config.js';
import { wirePosts } from './wiring.js';

/** The posts service process: `node services/posts/dist/main.js`. */
await runServiceMain('posts', loadPostsConfig, wirePosts);
