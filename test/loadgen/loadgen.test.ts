// The load generator (bench/loadgen/loadgen.mjs) in smoke mode against the local ingress of the
// local stack: it registers its accounts, drives the journey's reads and writes at a fixed rate and
// exits 0; against an ingress answering 5xx it exits 1. test/images runs its image the same way.
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { ROOT } from '../helpers/processes.js';

function runLoadgen(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench/loadgen/loadgen.mjs')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => stack?.stop());

describe('load generator, smoke mode', () => {
  it('drives the journey through the local ingress at the asked rate and passes with no 5xx', async () => {
    const r = await runLoadgen({
      AGORA_BASE_URL: stack.url,
      LOADGEN_SMOKE: '1',
      LOADGEN_DURATION_S: '3',
      LOADGEN_RATE: '40',
      LOADGEN_USERS: '3',
      LOADGEN_CONNECTIONS: '2',
    });
    expect(r.code, r.stderr).toBe(0);
    const line = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(line.fiveXx).toBe(0);
    expect(line.errors).toBe(0);
    // ≈ 40 req/s for 3 s, all answered 2xx (feed, profile, a post, a new post).
    expect(line.ok).toBe(line.requests);
    expect(line.requests).toBeGreaterThanOrEqual(60);
    expect(line.requests).toBeLessThanOrEqual(200);
    expect(Object.keys(line.statuses).sort()).toEqual(['200', '201']);
  }, 60_000);

  it('with LOADGEN_PASSWORD, a restart signs into the same accounts instead of registering again', async () => {
    const env = {
      AGORA_BASE_URL: stack.url,
      LOADGEN_SMOKE: '1',
      LOADGEN_DURATION_S: '1',
      LOADGEN_RATE: '10',
      LOADGEN_USERS: '2',
      LOADGEN_PASSWORD: 'a long load generator password',
      LOADGEN_USER_PREFIX: `lg_${Date.now().toString(36)}`,
    };
    const first = await runLoadgen(env);
    expect(first.code, first.stderr).toBe(0);
    // A second registration of the same names would be a 409 and exit non-zero.
    const second = await runLoadgen(env);
    expect(second.code, second.stderr).toBe(0);
  }, 60_000);

  it('fails on a 5xx', async () => {
    // An ingress whose API works for the set-up but whose feed answers 503.
    const upstream = new URL(stack.url);
    const proxy = http.createServer((req, res) => {
      if (req.url?.startsWith('/api/v1/feed')) {
        res.writeHead(503, { 'content-type': 'application/problem+json' }).end('{"status":503}');
        return;
      }
      const fwd = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      });
      req.pipe(fwd);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const { port } = proxy.address() as { port: number };
      const r = await runLoadgen({
        AGORA_BASE_URL: `http://127.0.0.1:${port}`,
        LOADGEN_SMOKE: '1',
        LOADGEN_DURATION_S: '2',
        LOADGEN_RATE: '20',
        LOADGEN_USERS: '2',
        LOADGEN_CONNECTIONS: '1',
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/smoke failed/);
      expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!).fiveXx).toBeGreaterThan(0);
    } finally {
      proxy.close();
    }
  }, 60_000);

  it('refuses to start without AGORA_BASE_URL or with a malformed setting', async () => {
    expect((await runLoadgen({ AGORA_BASE_URL: '' })).code).toBe(64);
    expect((await runLoadgen({ AGORA_BASE_URL: stack.url, LOADGEN_RATE: 'fast' })).code).toBe(64);
  });
});

describe('load generator manifests', () => {
  it('render and validate, hardened like the services', async () => {
    const { kustomize, validateDoc } = await import('../cluster/lib.js');
    const docs = kustomize('bench/loadgen/k8s');
    expect(docs.flatMap(validateDoc)).toEqual([]);
    const d = docs.find((x) => x.kind === 'Deployment')!;
    expect(d.metadata.namespace).toBe('agora');
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe('agora/loadgen');
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(d.spec.template.spec.serviceAccountName).toBe('loadgen');
  });
});
