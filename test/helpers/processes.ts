import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { serviceScript } from '../../mesh/src/local/services.js';

export const ROOT = path.resolve(__dirname, '../..');

/** A free loopback port (bound and released; fine for tests that start a server right after). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface ServiceProcess {
  base: string;
  child: ChildProcess;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  output(): string;
}

/**
 * Starts a built service (`services/<name>/dist/main.bundle.mjs`, the bundled entry point) as its
 * own process, as the local runner and the cluster do, and waits until it is ready.
 */
export async function startServiceProcess(name: string, env: Record<string, string>, fixedPort?: number): Promise<ServiceProcess> {
  const port = fixedPort ?? (await freePort());
  let out = '';
  const child = spawn(process.execPath, [serviceScript(name, 'main')], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  for (let i = 0; i < 150; i += 1) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up:\n${out}`);
    const ready = await fetch(`${base}/healthz/ready`).then((r) => r.ok, () => false);
    if (ready) {
      return {
        base,
        child,
        output: () => out,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null) child.kill(signal);
          return exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not become ready:\n${out}`);
}
