// `node scripts/code-cache.mjs [--dockerfile <path>] [service ...]` (part of `npm run build`, after
// scripts/bundle.mjs; the image's build stage runs it with --dockerfile): writes each service's V8
// code cache, services/<name>/dist/main.bundle.cache, so a start takes the bundle's compiled code from
// it instead of compiling it (docs/benchmarks.md, "Round 8: codecache").
//
// Each cache is made by a node process started with the V8 flags the service runs with — V8 refuses
// a cache made under other flags — read from where they are defined: the local run's
// SERVICE_NODE_FLAGS (tools/src/local/service-env.ts), or with --dockerfile the runtime stage's
// NODE_OPTIONS and CMD (scripts/lib/runtime-node-flags.mjs). That process runs the bundle's module
// initialisation only (mesh/src/code-cache/write-code-cache.ts). A cache made by another Node, under
// other flags or for another bundle is not used, and the service starts without it, only slower.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { serviceNames } from './lib/topology.mjs';
import { runtimeNodeFlags } from './lib/runtime-node-flags.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WRITER = path.join(ROOT, 'mesh/dist/code-cache/write-code-cache.js');

async function localNodeFlags() {
  const file = path.join(ROOT, 'tools/dist/local/service-env.js');
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run tsc -b first (npm run build does)`);
  return [...(await import(pathToFileURL(file).href)).SERVICE_NODE_FLAGS];
}

function writeCache(flags, bundlePath) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // NODE_OPTIONS of the caller (e.g. a preload) must not change the flags the cache is made under.
    const env = { ...process.env, NODE_OPTIONS: '' };
    const child = spawn(process.execPath, [...flags, WRITER, bundlePath], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${path.relative(ROOT, bundlePath)}: the cache writer exited with ${code}`));
      const { cache, bytes } = JSON.parse(out.trim().split('\n').at(-1));
      resolve(
        `[code-cache] ${path.relative(ROOT, cache)} ${(bytes / 2 ** 20).toFixed(1)} MiB under ${flags.join(' ') || 'no flags'} (${(performance.now() - started).toFixed(0)} ms)`,
      );
    });
  });
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--dockerfile');
  const flags = at >= 0 ? runtimeNodeFlags(path.resolve(args[at + 1] ?? '')) : await localNodeFlags();
  if (at >= 0) args.splice(at, 2);
  const SERVICES = await serviceNames();
  const unknown = args.filter((s) => !SERVICES.includes(s));
  if (unknown.length) throw new Error(`unknown service(s): ${unknown.join(', ')} (known: ${SERVICES.join(', ')})`);
  if (!existsSync(WRITER)) throw new Error(`${path.relative(ROOT, WRITER)} is missing: run tsc -b first`);
  // One at a time: each runs a whole bundle's initialisation, and the build's other steps share the cores.
  for (const s of args.length ? args : SERVICES) {
    const bundlePath = path.join(ROOT, 'services', s, 'dist', 'main.bundle.cjs');
    if (!existsSync(bundlePath)) throw new Error(`${path.relative(ROOT, bundlePath)} is missing: run scripts/bundle.mjs first`);
    console.log(await writeCache(flags, bundlePath));
  }
}

main().catch((err) => {
  console.error(`[code-cache] ${err.message}`);
  process.exit(1);
});
