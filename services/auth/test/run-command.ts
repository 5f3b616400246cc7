import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Runs one of auth's command-line tools (`dist/<name>.js`, as an operator would) against the
 * database at `databaseUrl`; answers its exit code and its stdout and stderr together.
 */
export function runCommand(name: string, databaseUrl: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [path.resolve(__dirname, `../dist/${name}.js`), ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((r) => child.once('exit', (code) => r({ code, out })));
}
