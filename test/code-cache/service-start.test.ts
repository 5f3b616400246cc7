/**
 * The services' V8 code caches (scripts/code-cache.mjs, mesh/src/code-cache/): `npm run build` wrote
 * one per service under the services' V8 flags, a service started as every runner starts it
 * (tools/src/local/services.ts) takes its code from it, and a cache that does not fit — made for
 * another bundle, under other V8 flags, another bundle's data under the right key, or none — is not
 * used and the service still starts. The ill-fitting caches are tried on a copy of posts' built files
 * in a temporary folder laid out like the repository (node_modules and openapi/ linked), so the
 * build's own files are never touched. Needs the build and the root vitest config (its PostgreSQL).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateService } from '@agora/mesh';
import { cachePathFor, decodeCodeCache, encodeCodeCache } from '@agora/mesh/code-cache/cache-file';
import { SERVICES, SERVICE_NAMES } from '../../mesh/src/topology.js';
import { migrations } from '../../services/posts/src/migrations/index.js';
import { freePort } from '../../tools/src/local/ports.js';
import { newPlatformSecrets, serviceEnv, SERVICE_NODE_FLAGS } from '../../tools/src/local/service-env.js';
import { SERVICE_NODE_ARGS, serviceScript, startService } from '../../tools/src/local/services.js';
import { freshDatabase, testAdminUrlIfAny } from '../helpers/db.js';
import { runtimeNodeFlags } from '../../scripts/lib/runtime-node-flags.mjs';

const ROOT = path.resolve(__dirname, '../..');
const bundleOf = (service: string) => path.join(ROOT, 'services', service, 'dist', 'main.bundle.cjs');

const adminUrl = testAdminUrlIfAny();
if (!adminUrl) console.warn('[code-cache] SKIPPED the service starts: no test PostgreSQL (run with the root vitest config)');

/** The tag V8 gives code caches in a node started with `flags`. */
function versionTagUnder(flags: readonly string[]): number {
  const run = spawnSync(process.execPath, [...flags, '-p', "require('node:v8').cachedDataVersionTag()"], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return Number(run.stdout.trim());
}

describe('the code caches npm run build wrote', () => {
  it('exist for every service, keyed to its bundle, this Node and the V8 flags the services run with', () => {
    const tag = versionTagUnder(SERVICE_NODE_FLAGS);
    expect(tag, 'the services flags change the tag: a cache made without them would be refused').not.toBe(versionTagUnder([]));
    for (const service of SERVICE_NAMES) {
      const cacheFile = cachePathFor(bundleOf(service));
      expect(existsSync(cacheFile), `${cacheFile}: run npm run build`).toBe(true);
      const decoded = decodeCodeCache(readFileSync(cacheFile))!;
      expect(JSON.parse(decoded.key)).toEqual({
        node: process.version,
        arch: process.arch,
        v8: tag,
        bundle: createHash('sha256')
          .update(readFileSync(bundleOf(service)))
          .digest('hex'),
      });
      expect(decoded.data.length, service).toBeGreaterThan(100_000);
    }
  });
});

describe("a bundle's stack traces", () => {
  // A two-function TypeScript module bundled as the services are (scripts/bundle.mjs), loaded by the launcher's loader.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agora-code-cache-trace-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = [
    '// line 1',
    'function fail(): never {',
    "  throw new Error('from the bundle');",
    '}',
    'export const start = (): never => fail();',
    '',
  ].join('\n');

  function traceOf(nodeArgs: string[]): string {
    writeFileSync(path.join(dir, 'thrower.ts'), source);
    const bundled = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { bundle } from ${JSON.stringify(path.join(ROOT, 'scripts/bundle.mjs'))}; await bundle(process.argv[1], process.argv[2]);`,
        path.join(dir, 'thrower.ts'),
        path.join(dir, 'main.bundle.cjs'),
      ],
      { encoding: 'utf8' },
    );
    expect(bundled.status, bundled.stderr).toBe(0);
    const run = spawnSync(
      process.execPath,
      [
        ...nodeArgs,
        '--input-type=module',
        '-e',
        `import { loadBundle } from ${JSON.stringify(path.join(ROOT, 'mesh/dist/code-cache/load-bundle.js'))}; try { loadBundle(process.argv[1]).exports.start(); } catch (e) { console.log(e.stack); }`,
        path.join(dir, 'main.bundle.cjs'),
      ],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    return run.stdout;
  }

  it('name the TypeScript source with --enable-source-maps', () => {
    expect(traceOf(['--enable-source-maps'])).toMatch(/at fail \(.*thrower\.ts:3:9\)/);
  });

  it("name the bundle's own lines without them (compiled by vm.Script, as with a cache)", () => {
    const trace = traceOf([]);
    const at = /at fail \((.*main\.bundle\.cjs):(\d+):(\d+)\)/.exec(trace);
    expect(at, trace).not.toBeNull();
    const line = readFileSync(at![1]!, 'utf8').split('\n')[Number(at![2]) - 1]!;
    expect(line.slice(Number(at![3]) - 1)).toMatch(/^new Error\("from the bundle"\)|^throw new Error/);
  });
});

describe('the image build', () => {
  it("makes its caches under the runtime stage's V8 flags, read from the Dockerfile (the local run's, in the images' two places)", () => {
    const flags = runtimeNodeFlags(path.join(ROOT, 'Dockerfile'));
    expect([...flags].sort()).toEqual([...SERVICE_NODE_FLAGS].sort());
    expect(versionTagUnder(flags)).toBe(versionTagUnder(SERVICE_NODE_FLAGS));
  });

  it('runs scripts/code-cache.mjs with --dockerfile in the build stage, on a Dockerfile it copied in', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const build = dockerfile.slice(dockerfile.indexOf(' AS build\n'), dockerfile.indexOf(' AS dev\n'));
    expect(build).toMatch(/^COPY Dockerfile Dockerfile$/m);
    expect(build).toMatch(/^RUN .*node scripts\/bundle\.mjs \$\{SERVICE\} && node scripts\/code-cache\.mjs --dockerfile Dockerfile \$\{SERVICE\}$/m);
  });
});

describe.skipIf(!adminUrl)('a service start with its code cache', () => {
  let env: Record<string, string>;
  let scratch: string;

  beforeAll(async () => {
    const databaseUrl = await freshDatabase('code_cache');
    await migrateService('posts', databaseUrl, migrations);
    env = serviceEnv('posts', {
      addresses: {
        ports: Object.fromEntries(SERVICE_NAMES.map((s) => [s, 9])) as Record<(typeof SERVICE_NAMES)[number], number>,
        ingressUrl: 'http://127.0.0.1:9',
        objectStore: { publicUrl: 'http://127.0.0.1:9/objects', internalUrl: 'http://127.0.0.1:9/objects' },
      },
      secrets: newPlatformSecrets(),
      databaseUrl,
      mailboxDir: os.tmpdir(),
      logLevel: 'info',
    });
    // posts' built files as the repository lays them out: its bundle finds pg in node_modules and
    // its contract at ../../../openapi from where it sits.
    scratch = mkdtempSync(path.join(os.tmpdir(), 'agora-code-cache-'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'));
    symlinkSync(path.join(ROOT, 'openapi'), path.join(scratch, 'openapi'));
    mkdirSync(path.join(scratch, 'services/posts/dist'), { recursive: true });
    for (const f of ['main.bundle.mjs', 'main.bundle.cjs'])
      copyFileSync(path.join(ROOT, 'services/posts/dist', f), path.join(scratch, 'services/posts/dist', f));
  });

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const copy = (f: string) => path.join(scratch, 'services/posts/dist', f);

  /** Starts posts from `script` as every runner does, waits for /healthz/ready, stops it; what the launcher said of the cache. */
  async function startPosts(script: string): Promise<{ codeCache: string; level: string }> {
    const posts = SERVICES.find((s) => s.name === 'posts')!;
    const running = await startService(posts, { ...env, PORT: String(await freePort()) }, { script, output: 'capture', readyPollMs: 50 });
    await running.stop();
    const line = running
      .output()
      .split('\n')
      .find((l) => l.includes('"codeCache"'));
    expect(line, running.output()).toBeDefined();
    return JSON.parse(line!) as { codeCache: string; level: string };
  }

  it('the build’s own cache is accepted by the start every runner makes', async () => {
    expect(SERVICE_NODE_ARGS.slice(0, SERVICE_NODE_FLAGS.length)).toEqual(SERVICE_NODE_FLAGS);
    expect(await startPosts(serviceScript('posts', 'main'))).toMatchObject({ codeCache: 'accepted', level: 'info' });
  });

  it('without a cache the service starts, and says it had none', async () => {
    rmSync(cachePathFor(copy('main.bundle.cjs')), { force: true });
    expect(await startPosts(copy('main.bundle.mjs'))).toMatchObject({ codeCache: 'missing', level: 'warn' });
  });

  it('a cache made for another bundle is not used (its key names other bytes), and the service starts', async () => {
    const real = decodeCodeCache(readFileSync(cachePathFor(bundleOf('posts'))))!;
    const otherBundle = { ...JSON.parse(real.key), bundle: createHash('sha256').update('an older build').digest('hex') };
    writeFileSync(cachePathFor(copy('main.bundle.cjs')), encodeCodeCache(JSON.stringify(otherBundle), real.data));
    expect(await startPosts(copy('main.bundle.mjs'))).toMatchObject({ codeCache: 'stale', level: 'warn' });
  });

  it('a cache made under other V8 flags is not used, and the service starts', () => {
    // Written by the build's own writer, but in a node without the services' flags.
    const made = spawnSync(process.execPath, [path.join(ROOT, 'mesh/dist/code-cache/write-code-cache.js'), copy('main.bundle.cjs')], {
      encoding: 'utf8',
    });
    expect(made.status, made.stderr).toBe(0);
    expect(JSON.parse(decodeCodeCache(readFileSync(cachePathFor(copy('main.bundle.cjs'))))!.key).v8).toBe(versionTagUnder([]));
    return expect(startPosts(copy('main.bundle.mjs'))).resolves.toMatchObject({ codeCache: 'stale', level: 'warn' });
  });

  it('another bundle’s cache under the right key is rejected by V8, and the service starts', async () => {
    // users' cache data with posts' key: only V8's own check (of the source it was made for) can tell.
    const posts = decodeCodeCache(readFileSync(cachePathFor(bundleOf('posts'))))!;
    const users = decodeCodeCache(readFileSync(cachePathFor(bundleOf('users'))))!;
    expect(readFileSync(bundleOf('users')).length).not.toBe(readFileSync(bundleOf('posts')).length);
    writeFileSync(cachePathFor(copy('main.bundle.cjs')), encodeCodeCache(posts.key, users.data));
    expect(await startPosts(copy('main.bundle.mjs'))).toMatchObject({ codeCache: 'rejected', level: 'warn' });
  });
});
