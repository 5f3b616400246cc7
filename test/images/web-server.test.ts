// web/server.mjs (the web image's server) run as a plain process, no engine needed: in the cluster
// the Gateway sends /docs to it, so it serves Swagger UI of the merged public API with the same
// handler and headers as the local ingress (mesh/src/http/api-docs.ts; test/web/api-docs.test.ts
// checks the ingress's and renders the page). web-image.test.ts checks the same in the image.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../mesh/src/http/web-app.js';
import { freePort, ROOT } from '../helpers/processes.js';

let server: ChildProcess;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.join(ROOT, 'web/server.mjs')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_DELAY_MS: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const until = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`${base}/healthz/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > until) throw new Error('web/server.mjs did not become ready in 20 s');
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
});

describe('web/server.mjs serves /docs', () => {
  it('the page, its assets and the merged public API document, under the strict security headers', async () => {
    const csp = securityHeaders()['content-security-policy'];
    for (const p of [
      '/docs',
      '/docs/init.js',
      '/docs/swagger-ui.css',
      '/docs/swagger-ui-bundle.js',
      '/docs/favicon-32x32.png',
      '/docs/openapi.json',
    ]) {
      const res = await fetch(`${base}${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-security-policy'), p).toBe(csp);
      await res.arrayBuffer();
    }
    const page = await (await fetch(`${base}/docs`)).text();
    expect(page).toContain('<script src="/docs/swagger-ui-bundle.js"></script>');
    expect(await (await fetch(`${base}/docs/openapi.json`)).text()).toBe(readFileSync(path.join(ROOT, 'openapi/agora.json'), 'utf8'));
    expect((await fetch(`${base}/docs/package.json`)).status).toBe(404);
    expect((await fetch(`${base}/docs`, { method: 'POST' })).status).toBe(405);
  });

  it("answers errors as problem+json under the same headers: its own 404 for an API path, the handlers' 404 and 405", async () => {
    const csp = securityHeaders()['content-security-policy'];
    for (const [p, init, status, type] of [
      ['/api/v1/feed', undefined, 404, 'not-found'],
      ['/docs/package.json', undefined, 404, 'not-found'],
      ['/docs', { method: 'POST' }, 405, 'method-not-allowed'],
    ] as const) {
      const res = await fetch(`${base}${p}`, init);
      expect(res.status, p).toBe(status);
      expect(res.headers.get('content-type'), p).toBe('application/problem+json');
      expect(res.headers.get('content-security-policy'), p).toBe(csp);
      expect(await res.json(), p).toMatchObject({ type: `https://agora.dev/problems/${type}`, status });
    }
  });
});
