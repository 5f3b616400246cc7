import type { BaseConfig } from './config.js';
import { ConfigError } from './config.js';
import { exitOnSignals } from './server.js';
import { migrateService, startService, type ServiceContext, type ServiceWiring } from './service.js';
import type { Migration } from './db/migrator.js';

/**
 * The two process entry points every service has, written once:
 * `services/<name>/dist/main.js` (serve until SIGTERM) and `services/<name>/dist/migrate.js` (apply
 * pending migrations and exit). Exit codes: 78 (EX_CONFIG) for a configuration error, naming the
 * variable; 1 for any other failure.
 */
export async function runServiceMain<C extends BaseConfig>(
  name: string,
  loadConfig: () => C,
  wire: (ctx: ServiceContext<C>) => Promise<ServiceWiring> | ServiceWiring,
): Promise<void> {
  try {
    const running = await startService(name, loadConfig(), wire);
    exitOnSignals(running, running.logger);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`${name}: ${err.message}`);
      process.exit(78);
    }
    console.error(`${name}: failed to start:`, err instanceof Error ? err.message : err);
    process.exit(1);
  }
}

export async function runMigrateMain(name: string, migrations: Migration[]): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(`${name} migrate: DATABASE_URL is not set (postgres://user:pass@host:5432/agora_${name})`);
    process.exit(78);
  }
  try {
    await migrateService(name, url, migrations);
  } catch (err) {
    console.error(`${name} migrate: failed:`, err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
