/** Test helper: a service as its own Node process, started like the local run does (its V8 flags). */
import { spawn, type ChildProcess } from 'node:child_process';
import { SERVICE_NODE_ARGS } from '../../../tools/src/local/services.js';
import { REPO_ROOT } from './exposition.js';

export interface ServiceProcess {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `node <the services' V8 flags> <script>` with `env` (on top of PATH/HOME only); resolves when the
 * process prints a JSON line carrying its `port` (mesh's "listening" log line or a fixture's {"port":N}).
 */
export function spawnService(name: string, script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${name} did not start within ${timeoutMs / 1000}s:\n${out.slice(-3000)}`));
    }, timeoutMs);
    let buffer = '';
    let done = false;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      out += text;
      buffer += text;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (done || !line.startsWith('{')) continue;
        try {
          const doc = JSON.parse(line) as { port?: unknown; msg?: string };
          if (typeof doc.port === 'number' && (doc.msg === undefined || doc.msg === 'listening')) {
            done = true;
            clearTimeout(timer);
            resolve({ name, port: doc.port, url: `http://127.0.0.1:${doc.port}`, child, output: () => out, stop });
          }
        } catch {
          /* not JSON */
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      if (done) return;
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${out.slice(-3000)}`));
    });
  });
}
