// Offline checks of web/Dockerfile (no engine needed); web-image.test.ts builds and runs it for real.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_DOCS_ASSETS } from '../../mesh/src/http/api-docs.js';
import { DOCKERFILE, instructions, ROOT, stages } from './dockerfile.js';

const WEB_DOCKERFILE = readFileSync(path.join(ROOT, 'web/Dockerfile'), 'utf8');
const web = stages(WEB_DOCKERFILE);
const root = stages(DOCKERFILE);
// The stages whose layers the web image takes from the service images' build cache. web/Dockerfile's
// copy is generated (scripts/generate/web-dockerfile.mjs; test/generated-files.test.ts fails when it is
// stale): this checks what the copy must achieve, the same instructions in the same order.
const SHARED = ['manifests', 'deps', 'mesh'];

describe('web/Dockerfile', () => {
  it('builds with the classic builder and no registry, from the same pinned base as the services', () => {
    expect(WEB_DOCKERFILE).not.toMatch(/^#\s*syntax=/im);
    expect(WEB_DOCKERFILE).not.toMatch(/--mount=|--link|<<EOF/);
    expect(WEB_DOCKERFILE.match(/^ARG NODE_IMAGE=.*$/gm)).toEqual(DOCKERFILE.match(/^ARG NODE_IMAGE=.*$/gm));
  });

  it("repeats the root Dockerfile's first stages line for line, so their layers come from the cache", () => {
    for (const name of SHARED) {
      const mine = web.find((s) => s.name === name);
      const theirs = root.find((s) => s.name === name);
      expect(mine, name).toBeDefined();
      expect(mine, name).toEqual(theirs);
    }
    expect(web.slice(0, SHARED.length).map((s) => s.name)).toEqual(SHARED);
  });

  it('never copies the whole context, and builds the app from the typed client and web/ only', () => {
    for (const line of instructions(WEB_DOCKERFILE)) expect(line).not.toMatch(/^COPY\s+(--\S+\s+)*\.\s/i);
    const build = web.find((s) => s.name === 'build')!;
    expect(build.from).toBe('mesh');
    expect(build.lines.filter((l) => l.startsWith('COPY '))).toEqual([
      'COPY openapi/client openapi/client',
      'COPY openapi/agora.json openapi/agora.json',
      'COPY web web',
    ]);
  });

  it("copies exactly the swagger-ui-dist files /docs serves (mesh's API_DOCS_ASSETS) into web/api-docs", () => {
    const build = web.find((s) => s.name === 'build')!;
    const cp = build.lines.join('\n').match(/cp ((?:node_modules\/swagger-ui-dist\/\S+ )+)web\/api-docs\//);
    expect(cp, 'a cp of swagger-ui-dist files into web/api-docs/').not.toBeNull();
    const files = cp![1]!
      .trim()
      .split(/\s+/)
      .map((f) => f.replace('node_modules/swagger-ui-dist/', ''));
    expect(files.sort()).toEqual([...API_DOCS_ASSETS].sort());
  });

  it('runtime: last stage, non-root, no dependencies installed, only the server, its handlers, the built files and what /docs serves', () => {
    const runtime = web.at(-1)!;
    expect(runtime.name).toBe('runtime');
    expect(runtime.lines).toContain('USER 1000:1000');
    expect(runtime.lines.some((l) => /\bnpm\b/.test(l))).toBe(false);
    const copied = runtime.lines.filter((l) => l.startsWith('COPY')).map((l) => l.split(/\s+/).at(-1));
    expect(copied.sort()).toEqual(
      [
        'mesh/dist/http/api-docs.js',
        'mesh/dist/http/problem.js',
        'mesh/dist/http/web-app.js',
        'mesh/dist/topology.js',
        'mesh/package.json',
        'openapi/agora.json',
        'web/api-docs',
        'web/dist',
        'web/server.mjs',
      ].sort(),
    );
    expect(runtime.lines).toContain('CMD ["node", "web/server.mjs"]');
  });

  it('dev: built FROM the build stage, non-root, rebuilds with Vite on a change and serves with the same server', () => {
    const dev = web.find((s) => s.name === 'dev')!;
    expect(dev.from).toBe('build');
    expect(dev.lines).toContain('USER 1000:1000');
    expect(dev.lines.join('\n')).toMatch(/vite build --watch .*node web\/server\.mjs/);
  });
});
