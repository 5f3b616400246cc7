import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type Ingress } from '../src/local/ingress.js';

// The ingress serving the built web app at / (tools/src/local/web-app.ts), on a stand-in dist folder.
let ingress: Ingress;
let root: string;
const INDEX = '<!doctype html><title>app</title><script type="module" src="/assets/app-123.js"></script>';

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'agora-web-'));
  await mkdir(path.join(root, 'assets'));
  await writeFile(path.join(root, 'index.html'), INDEX);
  await writeFile(path.join(root, 'assets', 'app-123.js'), 'console.log(1)');
  await writeFile(path.join(os.tmpdir(), 'agora-web-secret.txt'), 'secret');
  // No upstreams: API paths answer 503 problems, which shows they never fall back to the app.
  ingress = await startIngress({ port: 0, upstreams: {}, web: { root } });
});
afterAll(async () => {
  await ingress?.close(100);
  await rm(root, { recursive: true, force: true });
});

describe('the ingress serves the web app', () => {
  it('answers / and every app route with index.html and the security headers', async () => {
    for (const p of ['/', '/@ada', '/posts/123', '/settings?x=1']) {
      const res = await fetch(`${ingress.url}${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toBe(INDEX);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves hashed assets as immutable and answers a missing asset 404, not the page', async () => {
    const js = await fetch(`${ingress.url}/assets/app-123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${ingress.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${ingress.url}/favicon.ico`)).status).toBe(404);
  });

  it('never serves a file outside the folder', async () => {
    for (const p of ['/../agora-web-secret.txt', '/%2e%2e/agora-web-secret.txt', '/assets/..%2f..%2fagora-web-secret.txt']) {
      const res = await fetch(`${ingress.url}${p}`);
      expect(await res.text(), p).not.toBe('secret');
    }
  });

  it('keeps the API, /.well-known and never-routed paths off the app', async () => {
    for (const p of ['/api/v1/feed', '/.well-known/jwks.json']) {
      const res = await fetch(`${ingress.url}${p}`);
      expect(res.status, p).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    for (const p of ['/api/v1/nowhere', '/internal/x', '/metrics']) {
      const res = await fetch(`${ingress.url}${p}`);
      expect(res.status, p).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('refuses writes to app paths', async () => {
    const res = await fetch(`${ingress.url}/settings`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers its refusals as problem+json, like the services, even to an API path whose dot segments lead to the app', async () => {
    const problem = async (res: { status: number; contentType: string | null; body: string }, status: number, type: string) => {
      expect(res.status).toBe(status);
      expect(res.contentType).toBe('application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({ type: `https://agora.dev/problems/${type}`, status });
    };
    const viaFetch = async (p: string, init?: RequestInit) => {
      const res = await fetch(`${ingress.url}${p}`, init);
      return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
    };
    await problem(await viaFetch('/settings', { method: 'PUT', body: 'x' }), 405, 'method-not-allowed');
    await problem(await viaFetch('/assets/missing.js'), 404, 'not-found');
    await problem(await viaFetch('/%zz'), 400, 'validation');
    // Sent as written (fetch would resolve the dot segments itself): the ingress resolves them to `/`.
    const raw = await new Promise<{ status: number; contentType: string | null; body: string }>((resolve, reject) => {
      const req = http.request(`${ingress.url}/api/v1/posts/../../comments/../..?access_token=x.y.z`, { method: 'DELETE' }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, body }));
      });
      req.on('error', reject);
      req.end();
    });
    await problem(raw, 405, 'method-not-allowed');
  });
});
