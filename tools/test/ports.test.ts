import net from 'node:net';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { assertPortsFree, freePort, PortBusyError, probePort } from '../src/local/ports.js';

const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function occupy(port: number, host?: string): Promise<void> {
  const server = net.createServer();
  servers.push(server);
  return new Promise((resolve) => server.listen(host ? { port, host } : { port }, resolve));
}

describe('port checks', () => {
  it('passes when every port is free', async () => {
    const port = await freePort();
    await expect(probePort(port)).resolves.toBeUndefined();
    await expect(assertPortsFree([{ port, purpose: 'something' }])).resolves.toBeUndefined();
  });

  it.each([['127.0.0.1'], ['0.0.0.0'], [undefined]])('names the busy port and what it is for (listener on %s)', async (host) => {
    const busy = await freePort();
    const free = await freePort();
    await occupy(busy, host);
    const err = await assertPortsFree([
      { port: free, purpose: 'the users service' },
      { port: busy, purpose: 'the local ingress (AGORA_INGRESS_PORT)' },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortBusyError);
    expect((err as PortBusyError).message).toContain(`port ${busy} (the local ingress (AGORA_INGRESS_PORT)) is already in use`);
    expect((err as PortBusyError).message).not.toContain(`port ${free}`);
    expect((err as PortBusyError).busy.map((b) => b.port)).toEqual([busy]);
  });

  const runJs = path.resolve(fileURLToPath(new URL('../dist/local/run.js', import.meta.url)));
  it.skipIf(!existsSync(runJs))('the runner exits 1 with a clear message when the ingress port is busy, starting nothing', async () => {
    const busy = await freePort();
    await occupy(busy);
    const child = spawn(process.execPath, [runJs, '--no-seed'], {
      env: { ...process.env, AGORA_INGRESS_PORT: String(busy), AGORA_PG_PORT: String(await freePort()), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(out).toContain(`port ${busy} (the local ingress (AGORA_INGRESS_PORT)) is already in use`);
    expect(out).not.toContain('starting embedded PostgreSQL');
  });
});
