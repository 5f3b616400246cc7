import { ConfigError, exitOnSignals, startService } from '@agora/mesh';
import { loadPostsConfig } from './config.js';
import { wirePosts } from './wiring.js';

/** The posts service process: `node services/posts/dist/main.js`. */
try {
  const config = loadPostsConfig();
  const running = await startService('posts', config, wirePosts);
  exitOnSignals(running, running.logger);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`posts: ${err.message}`);
    process.exit(78); // EX_CONFIG
  }
  console.error('posts: failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
}
