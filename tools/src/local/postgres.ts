import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedServer, serverUrl, serverVersion } from './embedded-server.js';

/** The PostgreSQL server of the local run: the embedded one, or the user's own. */
export interface LocalPostgres {
  /** Admin URL (superuser or a role with CREATEDB); contains the password — never print it. */
  readonly adminUrl: string;
  readonly kind: 'embedded' | 'external';
  readonly version: string;
  /** Data directory of the embedded server (undefined for an external one). */
  readonly dataDir?: string;
  /** True when the embedded data directory was created by this start. */
  readonly initialised: boolean;
  /** Resolves if the embedded server exits on its own (never for an external one). */
  readonly exited: Promise<unknown>;
  /** Stops the embedded server (a no-op for an external one). */
  stop(): Promise<void>;
  /** Immediate shutdown (SIGQUIT) without waiting: the forced path of a second Ctrl-C. */
  kill(): void;
}

export interface LocalPostgresOptions {
  /** AGORA_POSTGRES_URL: use this server instead of starting one. */
  readonly externalUrl?: string;
  readonly dataDir: string;
  readonly port: number;
  readonly password: string;
  readonly onLog?: (line: string) => void;
}

export async function startLocalPostgres(opts: LocalPostgresOptions): Promise<LocalPostgres> {
  if (opts.externalUrl) {
    let version: string;
    try {
      version = await serverVersion(opts.externalUrl);
    } catch (err) {
      throw new Error(`cannot connect to AGORA_POSTGRES_URL: ${(err as Error).message}`, { cause: err });
    }
    return {
      adminUrl: opts.externalUrl,
      kind: 'external',
      version,
      initialised: false,
      exited: new Promise(() => undefined),
      stop: async () => undefined,
      kill: () => undefined,
    };
  }
  await mkdir(path.dirname(opts.dataDir), { recursive: true });
  const server = await startEmbeddedServer({
    dataDir: opts.dataDir,
    port: opts.port,
    password: opts.password,
    // Own process group: Ctrl-C in the terminal must not stop PostgreSQL before the services.
    detached: true,
    onLog: opts.onLog,
  });
  // Safety net: if the runner exits without its orderly shutdown (a crash), stop PostgreSQL too.
  const onExit = () => {
    try {
      process.kill(server.pid, 'SIGINT');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', onExit);
  const adminUrl = serverUrl(server);
  let version: string;
  try {
    version = await serverVersion(adminUrl);
  } catch (err) {
    await server.stop();
    throw new Error(
      `connecting to the embedded PostgreSQL in ${opts.dataDir} failed: ${(err as Error).message}. ` +
        'If the password in .data/local-secrets.json no longer matches the data directory, reset both (see docs/local-run.md).',
      { cause: err },
    );
  }
  return {
    adminUrl,
    kind: 'embedded',
    version,
    dataDir: opts.dataDir,
    initialised: server.initialised,
    exited: server.exited,
    stop: async () => {
      await server.stop();
      process.removeListener('exit', onExit);
    },
    kill: () => {
      try {
        process.kill(server.pid, 'SIGQUIT');
      } catch {
        /* already gone */
      }
    },
  };
}
