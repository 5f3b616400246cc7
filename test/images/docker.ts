// Helpers of the container tests: whether they run, the docker CLI, and containers started the way
// the manifests run them (host network, read-only root, uid 1000, no capabilities).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './dockerfile.js';

const pexec = promisify(execFile);

/**
 * Under CI=true the image tests always run (and fail when no engine can be had); elsewhere only with
 * AGORA_IMAGE_TESTS=1, since they build images for minutes. Skips say so loudly.
 */
export function imageTestsEnabled(name: string): boolean {
  if (process.env.CI === 'true' || process.env.AGORA_IMAGE_TESTS === '1') return true;
  console.warn(`\n[images] SKIPPED ${name}: builds and runs the service images; runs under CI=true (or AGORA_IMAGE_TESTS=1)\n`);
  return false;
}

/** Runs a project script from scripts/images/, failing with its output. */
export function script(name: string, args: string[] = [], timeoutMs = 20 * 60_000): string {
  try {
    return execFileSync('bash', [path.join(ROOT, 'scripts/images', name), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`scripts/images/${name} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: err });
  }
}

export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await pexec('docker', args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

export interface RunOptions {
  readonly image: string;
  readonly env: Record<string, string>;
  readonly command?: string[];
  /** Default true: the manifests' readOnlyRootFilesystem (only /tmp writable). */
  readonly readOnly?: boolean;
}

const started: string[] = [];

/** `docker run -d` as the pod spec runs the container; returns its id. */
export async function runContainer(label: string, opts: RunOptions): Promise<string> {
  const args = [
    'run',
    '-d',
    '--name',
    `agora-test-${label}-${randomBytes(3).toString('hex')}`,
    '--network',
    'host',
    '--user',
    '1000:1000',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--tmpfs',
    '/tmp:rw,size=64m,uid=1000,gid=1000',
    '--memory',
    '1g',
  ];
  if (opts.readOnly !== false) args.push('--read-only');
  for (const [k, v] of Object.entries(opts.env)) args.push('-e', `${k}=${v}`);
  args.push(opts.image, ...(opts.command ?? []));
  const id = await docker(...args);
  started.push(id);
  return id;
}

export async function removeStartedContainers(): Promise<void> {
  const ids = started.splice(0);
  if (ids.length) await docker('rm', '-f', ...ids).catch(() => undefined);
}

export async function logs(id: string): Promise<string> {
  const { stdout, stderr } = await pexec('docker', ['logs', id], { maxBuffer: 64 * 1024 * 1024 }).catch((e) => e);
  return `${stdout ?? ''}${stderr ?? ''}`;
}

/** Waits for `url` to answer 200; fails with the container's log. */
export async function waitReady(url: string, id: string, timeoutMs = 90_000): Promise<number> {
  const startedAt = Date.now();
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return Date.now() - startedAt;
    } catch {
      /* not listening yet */
    }
    const state = await docker('inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', id);
    if (!state.startsWith('running') || Date.now() - startedAt > timeoutMs) {
      throw new Error(`${url} not ready (${state}) after ${Date.now() - startedAt} ms; log:\n${(await logs(id)).slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Copies files into a running container the way `skaffold dev`'s sync does: a tar stream into `tar x`. */
export async function syncIntoContainer(id: string, baseDir: string, relPaths: string[], dest = '/app'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const pack = spawn('tar', ['-c', '-C', baseDir, ...relPaths], { stdio: ['ignore', 'pipe', 'inherit'] });
    const unpack = spawn('docker', ['exec', '-i', id, 'tar', 'xmf', '-', '-C', dest, '--no-same-owner'], { stdio: ['pipe', 'inherit', 'inherit'] });
    pack.stdout.pipe(unpack.stdin);
    unpack.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tar into ${id} exited ${code}`))));
  });
}
