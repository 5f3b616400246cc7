import { ConfigError, exitOnSignals, startService } from '@agora/mesh';
import { loadMediaConfig } from './config.js';
import { wireMedia } from './wiring.js';

/** The media service process: `node services/media/dist/main.js`. */
try {
  const config = loadMediaConfig();
  const running = await startService('media', config, wireMedia);
  exitOnSignals(running, running.logger);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`media: ${err.message}`);
    process.exit(78); // EX_CONFIG
  }
  console.error('media: failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
}
