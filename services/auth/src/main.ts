import { ConfigError, exitOnSignals, startService } from '@agora/mesh';
import { loadAuthConfig } from './config.js';
import { wireAuth } from './wiring.js';

/** The auth service process: `node services/auth/dist/main.js`. */
try {
  const config = loadAuthConfig();
  const running = await startService('auth', config, wireAuth);
  exitOnSignals(running, running.logger);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`auth: ${err.message}`);
    process.exit(78); // EX_CONFIG
  }
  console.error('auth: failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
}
