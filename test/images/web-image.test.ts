// The web image built and run for real (issue 13, "served in the cluster"): web/Dockerfile through
// scripts/images/build.sh (classic builder, the stand-in base when no registry answers, the service
// images' first stages from the cache), started the way web/k8s/deployment.yaml runs it (host
// network, read-only root, uid 1000, no capabilities), then its dev target with a web/src edit
// synced in the way `skaffold dev` does.
// Runs under CI=true (fails there without an engine); elsewhere with AGORA_IMAGE_TESTS=1, or skips loudly.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../mesh/src/http/web-app.js';
import { freePort } from '../helpers/processes.js';
import { ROOT } from './dockerfile.js';
import { docker, imageTestsEnabled, logs, removeStartedContainers, runContainer, script, syncIntoContainer, waitReady } from './docker.js';

const enabled = imageTestsEnabled('test/images/web-image.test.ts');
const IMAGE = 'agora/web:test';

function built(out: string): { seconds: number; sizeMiB: number } {
  const m = /^agora\/web:\S+ target=\S+ seconds=(\d+) size_mib=(\d+)$/m.exec(out);
  if (!m) throw new Error(`scripts/images/build.sh printed no build line for agora/web:\n${out}`);
  return { seconds: Number(m[1]), sizeMiB: Number(m[2]) };
}

/** The script and stylesheet URLs index.html loads. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
}

/** The entry script's text as served now (the dev test waits for an edit to appear in it). */
async function entryScript(base: string): Promise<string> {
  const html = await (await fetch(`${base}/`)).text();
  const entry = assetsOf(html).find((a) => a.endsWith('.js'));
  return entry ? (await fetch(`${base}${entry}`)).text() : '';
}

describe.skipIf(!enabled)('web image (Docker, classic builder, no registry)', () => {
  beforeAll(() => {
    const b = built(script('build.sh', ['--tag', 'test', 'web']));
    console.log(`[images] ${IMAGE} built in ${b.seconds} s, ${b.sizeMiB} MiB`);
  }, 30 * 60_000);

  afterAll(async () => {
    await removeStartedContainers();
  }, 120_000);

  it('runs as uid 1000 by default and holds only the server, its handler and the built app', async () => {
    expect(await docker('image', 'inspect', '--format', '{{.Config.User}}', IMAGE)).toBe('1000:1000');
    // No --user here: the image's own USER is what is checked.
    const out = await docker(
      'run',
      '--rm',
      '--network',
      'host',
      '--read-only',
      '--entrypoint',
      'node',
      IMAGE,
      '-e',
      `const fs = require('fs');
       console.log(process.getuid() + ':' + process.getgid());
       const files = fs.readdirSync('/app', { recursive: true }).filter((f) => fs.statSync('/app/' + f).isFile());
       console.log(JSON.stringify(files.sort()));
       try { fs.writeFileSync('/app/x', ''); console.log('WRITABLE'); } catch { console.log('read-only'); }`,
    );
    const [ids, listing, writable] = out.split('\n');
    expect(ids).toBe('1000:1000');
    const files = JSON.parse(listing!) as string[];
    expect(files).toEqual(
      expect.arrayContaining([
        'web/server.mjs',
        'web/dist/index.html',
        'mesh/dist/http/web-app.js',
        'mesh/dist/http/problem.js',
        'mesh/package.json',
      ]),
    );
    const unexpected = files.filter(
      (f) =>
        ![
          'web/server.mjs',
          'mesh/package.json',
          'mesh/dist/http/web-app.js',
          'mesh/dist/http/api-docs.js',
          'mesh/dist/http/problem.js',
          'mesh/dist/topology.js',
          'openapi/agora.json',
          'web/dist/index.html',
        ].includes(f) &&
        !f.startsWith('web/dist/assets/') &&
        !f.startsWith('web/api-docs/'),
    );
    expect(unexpected, 'no node_modules, no sources, no Vite manifest').toEqual([]);
    expect(writable).toBe('read-only');
  }, 120_000);

  it('serves the app read-only and non-root: strict CSP and security headers, deep links, immutable assets, probes, graceful stop', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const id = await runContainer('web', { image: IMAGE, env: { PORT: String(port), SHUTDOWN_DELAY_MS: '3000' } });
    const readyMs = await waitReady(`${base}/healthz/ready`, id, 60_000);
    console.log(`[images] ${IMAGE} ready in ${readyMs} ms (read-only root, uid 1000)`);
    expect(await docker('inspect', '--format', '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}', id)).toBe('true 1000:1000');
    expect((await docker('exec', id, 'node', '-e', 'console.log(process.getuid())')).trim()).toBe('1000');

    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(home.headers.get('cache-control')).toBe('no-cache');
    const csp = home.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"])
      expect(csp).toContain(directive);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    expect(home.headers.get('referrer-policy')).toBe('no-referrer');
    expect(home.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    const html = await home.text();
    expect(html).toContain('<div id="root">');
    // script-src 'self' allows no inline script: every <script> has a src.
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => /\bsrc="\/assets\//.test(tag))).toBe(true);

    // Swagger UI of the merged public API (the Gateway sends /docs here), under the same strict headers.
    for (const p of ['/docs', '/docs/init.js', '/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/favicon-32x32.png']) {
      const res = await fetch(`${base}${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-security-policy'), p).toBe(securityHeaders()['content-security-policy']);
      await res.arrayBuffer();
    }
    expect(await (await fetch(`${base}/docs/openapi.json`)).text()).toBe(await readFile(path.join(ROOT, 'openapi/agora.json'), 'utf8'));

    // A deep link (a profile, a post) is the app's own route: index.html, so a reload works.
    for (const deep of ['/@ada', '/posts/0190a7f2-0000-7000-8000-000000000000', '/settings']) {
      const res = await fetch(`${base}${deep}`);
      expect(res.status, deep).toBe(200);
      expect(await res.text(), deep).toBe(html);
      expect(res.headers.get('content-security-policy'), deep).toBe(csp);
    }

    const assets = assetsOf(html);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const a of assets) {
      const res = await fetch(`${base}${a}`);
      expect(res.status, a).toBe(200);
      expect(res.headers.get('cache-control'), a).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type'), a).toMatch(a.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      await res.arrayBuffer();
    }

    // Not pages: a missing asset, the API (the Gateway sends it elsewhere), the build's manifest.
    for (const p of ['/assets/missing-0000.js', '/api/v1/posts', '/.vite/manifest.json']) {
      const res = await fetch(`${base}${p}`);
      expect(res.status, p).toBe(404);
      await res.arrayBuffer();
    }
    const post = await fetch(`${base}/`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${base}/healthz/live`)).status).toBe(200);

    // SIGTERM (what the kubelet sends): readiness fails first, then the server exits cleanly.
    await docker('kill', '--signal', 'TERM', id);
    let ready = 200;
    for (const until = Date.now() + 2_000; ready === 200 && Date.now() < until;) {
      ready = (await fetch(`${base}/healthz/ready`)).status;
      if (ready === 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(ready, 'readiness fails while draining').toBe(503);
    expect((await fetch(`${base}/healthz/live`)).status).toBe(200);
    expect(Number(await docker('wait', id)), await logs(id)).toBe(0);
  }, 180_000);

  it(
    'dev target: a web/src edit synced in the way `skaffold dev` does is served within seconds',
    async () => {
      const b = built(script('build.sh', ['--target', 'dev', '--tag', 'dev', 'web']));
      console.log(`[images] agora/web:dev built in ${b.seconds} s, ${b.sizeMiB} MiB`);
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      // The dev overlay's container: writable root (the sync and Vite write into /app/web), uid 1000.
      const id = await runContainer('web-dev', { image: 'agora/web:dev', env: { PORT: String(port) }, readOnly: false });
      await waitReady(`${base}/healthz/ready`, id, 120_000);
      // The server answers from the image's build while `vite build --watch` makes its first build;
      // an edit synced during that build is not seen by the watcher, so wait for it to finish.
      const watching = Date.now();
      while (!/built in \d/.test(await logs(id))) {
        if (Date.now() - watching > 180_000)
          throw new Error(`vite's first watch build did not finish in 180 s; log:\n${(await logs(id)).slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 500));
      }

      const marker = `synced-${randomBytes(4).toString('hex')}`;
      const work = await mkdtemp(path.join(tmpdir(), 'agora-web-sync-'));
      try {
        const rel = 'web/src/main.tsx';
        await mkdir(path.dirname(path.join(work, rel)), { recursive: true });
        const source = await readFile(path.join(ROOT, rel), 'utf8');
        await writeFile(path.join(work, rel), `${source}\nconsole.info('${marker}');\n`);
        const syncedAt = Date.now();
        await syncIntoContainer(id, work, [rel]);
        for (;;) {
          if ((await entryScript(base)).includes(marker)) break;
          if (Date.now() - syncedAt > 90_000) throw new Error(`the synced edit was not served after 90 s; log:\n${(await logs(id)).slice(-4000)}`);
          await new Promise((r) => setTimeout(r, 500));
        }
        const liveMs = Date.now() - syncedAt;
        console.log(`[images] synced web/src edit served by the web dev container after ${liveMs} ms`);
        expect(liveMs).toBeLessThan(60_000);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
    20 * 60_000,
  );
});
