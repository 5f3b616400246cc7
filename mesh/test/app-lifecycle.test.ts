import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Router from '@koa/router';
import { loadConfig, baseConfigSchema } from '../src/config.js';
import { startService, type StartedService } from '../src/service.js';
import { problems } from '../src/http/problem.js';
import { freshDatabase } from '../../test/helpers/db.js';

/**
 * The app factory and server every service shares, exercised on a real database reached through a
 * TCP relay the test can cut, so "the database went away" is real, not simulated.
 */
class Relay {
  private server?: net.Server;
  private sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async open(port = 0): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', () => r()));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }
}

let svc: StartedService;
let relay: Relay;
let base: string;
let releaseSlow: () => void = () => undefined;

function routes(router: Router) {
  router.get('/slow', async (ctx) => {
    await new Promise<void>((r) => {
      releaseSlow = r;
    });
    ctx.body = { done: true };
  });
  router.get('/boom', () => {
    throw new Error('secret internal detail SELECT * FROM users');
  });
  router.get('/gone', () => {
    throw problems.notFound('No such thing.');
  });
  router.get('/db', async (ctx) => {
    ctx.body = await svc.db.query('SELECT 1 AS one');
  });
}

beforeAll(async () => {
  const url = new URL(await freshDatabase('lifecycle'));
  relay = new Relay({ host: url.hostname, port: Number(url.port) });
  await relay.open();
  url.port = String(relay.port);
  const config = loadConfig(baseConfigSchema, {
    DATABASE_URL: url.toString(),
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_ISSUER: 'http://issuer.test',
    JWKS_URL: 'http://127.0.0.1:9/jwks.json',
    CORS_ORIGINS: 'http://app.test',
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_MS: '5000',
  });
  svc = await startService('lifecycle', config, () => ({ registerRoutes: routes }));
  base = `http://127.0.0.1:${svc.port}`;
});

afterAll(async () => {
  await svc?.shutdown('test done');
});

describe('shared app behaviour', () => {
  it('echoes a sane x-request-id and replaces an unsafe one', async () => {
    const given = await fetch(`${base}/healthz/live`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const unsafe = await fetch(`${base}/healthz/live`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers and answers CORS only for configured origins', async () => {
    const ok = await fetch(`${base}/healthz/live`, { headers: { origin: 'http://app.test' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
    const evil = await fetch(`${base}/healthz/live`, { headers: { origin: 'http://evil.test' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${base}/db`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('maps unknown routes, wrong methods, thrown problems and crashes to problem+json without internals', async () => {
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const method = await fetch(`${base}/gone`, { method: 'DELETE' });
    expect(method.status).toBe(405);
    expect((await method.json()).type).toBe('https://agora.dev/problems/method-not-allowed');
    const gone = await fetch(`${base}/gone`);
    expect(await gone.json()).toMatchObject({ status: 404, detail: 'No such thing.' });
    const boom = await fetch(`${base}/boom`);
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).not.toContain('SELECT');
    expect(text).not.toContain('secret internal');
    expect(JSON.parse(text).instance).toBe(boom.headers.get('x-request-id'));
  });

  it('becomes not-ready quickly when the database goes away, stays alive, and recovers by itself', async () => {
    expect((await fetch(`${base}/healthz/ready`)).status).toBe(200);
    const port = relay.port;
    await relay.cut();
    const started = Date.now();
    const ready = await fetch(`${base}/healthz/ready`);
    expect(ready.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5_000); // bounded, never a hang
    const query = await fetch(`${base}/db`);
    expect(query.status).toBe(503);
    expect((await query.json()).type).toBe('https://agora.dev/problems/service-unavailable');
    expect((await fetch(`${base}/healthz/live`)).status).toBe(200);

    await relay.open(port);
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i += 1) {
      recovered = (await fetch(`${base}/healthz/ready`)).status === 200;
      if (!recovered) await new Promise((r) => setTimeout(r, 200));
    }
    expect(recovered).toBe(true);
    expect((await fetch(`${base}/db`)).status).toBe(200);
  });

  it('on shutdown: turns not-ready, finishes the in-flight request, then stops accepting', async () => {
    const inflight = fetch(`${base}/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const stopping = svc.shutdown('SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    releaseSlow();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await stopping;
    await expect(fetch(`${base}/healthz/live`)).rejects.toThrow();
  });
});
