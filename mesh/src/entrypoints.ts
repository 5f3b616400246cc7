import type { BaseConfig } from './config.js';
import { ConfigError } from './config.js';
import { exitOnSignals } from './server.js';
import { migrateService, startService, type ServiceContext, type ServiceWiring } from './service.js';
import type { Migration } from './db/migrator.js';
import { isConnectionFailure } from './db/connection-failure.js';
import { DeadlineExceededError, retryUntilDeadline } from './retry-until-deadline.js';

/**
 * How long `migrate` keeps retrying a database it cannot reach, unless MIGRATE_DEADLINE_SECONDS says
 * otherwise: longer than a fresh dev PostgreSQL takes to initialise (and a sidecar to start), shorter
 * than skaffold's statusCheckDeadlineSeconds (skaffold.yaml; test/cluster/skaffold.test.ts checks both).
 */
export const MIGRATE_DEADLINE_SECONDS = 120;

/**
 * A failure worth another try: the server or the network path to it is not there yet. A name that
 * does not resolve yet (the Service's DNS record, EAI_AGAIN/ENOTFOUND) and a connect timeout count
 * too; a wrong password, a missing database or a failing migration do not. The Database wraps the
 * driver's error in `cause` (DatabaseUnavailableError), so the whole cause chain is asked.
 */
export function isTransientDatabaseFailure(err: unknown): boolean {
  let e = err as { code?: string; message?: string; cause?: unknown } | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth += 1, e = e.cause as typeof e) {
    if (isConnectionFailure(e)) return true;
    if (e.code && ['ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(e.code)) return true;
  }
  return false;
}

export function migrateDeadlineMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MIGRATE_DEADLINE_SECONDS;
  if (raw === undefined || raw === '') return MIGRATE_DEADLINE_SECONDS * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new ConfigError([`MIGRATE_DEADLINE_SECONDS must be a number of seconds ≥ 0, got "${raw}"`]);
  return seconds * 1000;
}

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

/** An error with its causes, e.g. "the database is unavailable: connect ECONNREFUSED 10.0.0.5:5432". */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, depth = 0; e !== undefined && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    parts.push(e instanceof Error ? e.message : String(e));
  }
  return parts.join(': ');
}

export async function runMigrateMain(name: string, migrations: Migration[]): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(`${name} migrate: DATABASE_URL is not set (postgres://user:pass@host:5432/agora_${name})`);
    process.exit(78);
  }
  let deadlineMs: number;
  try {
    deadlineMs = migrateDeadlineMs();
  } catch (err) {
    console.error(`${name} migrate: ${(err as Error).message}`);
    process.exit(78);
  }
  try {
    await retryUntilDeadline(() => migrateService(name, url, migrations), {
      deadlineMs,
      retryable: isTransientDatabaseFailure,
      onRetry: (err, failures, delayMs) =>
        console.error(`${name} migrate: database not reachable yet (${describe(err)}); try ${failures + 1} in ${delayMs} ms`),
    });
  } catch (err) {
    const why = err instanceof DeadlineExceededError ? `${err.message} within ${deadlineMs / 1000} s (MIGRATE_DEADLINE_SECONDS)` : describe(err);
    console.error(`${name} migrate: failed:`, why);
    process.exit(1);
  }
}
