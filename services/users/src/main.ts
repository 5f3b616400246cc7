import { ConfigError, exitOnSignals, startService } from '@agora/mesh';
import { loadUsersConfig } from './config.js';
import { wireUsers } from './wiring.js';

/** The users service process: `node services/users/dist/main.js`. */
try {
  const config = loadUsersConfig();
  const running = await startService('users', config, wireUsers);
  exitOnSignals(running, running.logger);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`users: ${err.message}`);
    process.exit(78); // EX_CONFIG
  }
  console.error('users: failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
}
