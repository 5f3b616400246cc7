// `node scripts/bundle.mjs [service ...]` (part of `npm run build`, after `tsc -b`): bundles each
// service's compiled code into one file with esbuild:
//   services/<name>/dist/main.bundle.mjs      the entry point the images, the local run, the tests and the bench
//                                             start: a few lines that load main.bundle.cjs (mesh/src/code-cache/launch.ts)
//   services/<name>/dist/main.bundle.cjs      the service's code (its dist/start.js and everything it imports)
// scripts/code-cache.mjs (run after this) writes each main.bundle.cjs's V8 code cache, main.bundle.cache.
//
// Why: a service's cold start was spent loading modules — resolving, reading and compiling ≈ 1 500
// small files — and took 1.2–1.8 s against a 1 s target
// (docs/benchmarks.md, row 5). One file per process removes the resolution and the per-file work.
// Why CommonJS for the service's code: Node 20 compiles code from a V8 code cache only through
// vm.Script, which runs scripts, not ES modules; the launcher wraps the module in CommonJS's function
// and compiles that (mesh/src/code-cache/load-bundle.ts). So the bundled code has no top-level await
// (the services' main.ts awaits start.ts's `start`, which the bundle exports instead) and
// import.meta.url is defined from __filename.
//
// What stays outside the bundle, loaded from node_modules at run time:
// - native addons (@node-rs/argon2, koffi, pg-native, which pg loads only if asked for) and packages that
//   locate their own files on disk (swagger-ui-dist);
// - iconv-lite, whose encoding tables it loads lazily from disk (in a bundle they are parsed at start),
//   and the OTLP exporters for protocols other than the default, loaded only when configured.
// The dist/*.js files stay as tsc wrote them: migrate/seed/rotate-keys run from them, and the dev
// image (`skaffold dev`) runs dist/main.js under `node --watch`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { writeFile } from 'node:fs/promises';
import { serviceNames } from './lib/topology.mjs';
import { asciiOnly } from './lib/ascii-only.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// pg is bundled: nothing patches it as it loads any more (mesh traces queries itself,
// mesh/src/observability/query-span.ts).
const EXTERNAL = [
  'pg-native',
  '@node-rs/argon2',
  'koffi',
  'swagger-ui-dist',
  // Its encoding tables (≈ 0.5 MiB) load only when a body in another charset arrives; inside the
  // bundle they would be parsed at every start.
  'iconv-lite',
  // The OTLP exporters other than the default http/protobuf one, loaded only when
  // OTEL_EXPORTER_OTLP_PROTOCOL asks for them (gRPC alone is ≈ 0.4 MiB).
  '@opentelemetry/exporter-trace-otlp-grpc',
  '@opentelemetry/exporter-trace-otlp-http',
  // Reached only through cosmiconfig (graphile-worker reads optional rc files with it), which loads
  // TypeScript only for a `.ts` rc file — none exists; bundled it would add ≈ 6 MiB to every start.
  'typescript',
];

// A service's bundle is a CommonJS module; import.meta.url, which mesh reads to find files beside
// it, is defined from its __filename.
const CJS_OPTIONS = {
  format: 'cjs',
  // The directive first: after the banner's statement esbuild's own "use strict" would be a plain string.
  banner: { js: "'use strict'; const __bundleImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__bundleImportMetaUrl' },
  // import() of an external becomes require(): vm.Script has no loader for a real import() on Node 20.
  supported: { 'dynamic-import': false },
};

/**
 * Bundles `entry` into one file, `outfile`. (esbuild's code splitting would keep modules reached
 * only through `import()` out of the start, but it evaluated @opentelemetry/core's re-exports out
 * of order here; V8 only pre-parses the functions a start does not run, so they cost little.)
 */
export async function bundle(entry, outfile) {
  const started = performance.now();
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    ...CJS_OPTIONS,
    // Maps back to the TypeScript sources through tsc's own maps, for --enable-source-maps.
    sourcemap: 'linked',
    // Less text to parse at every start. Identifiers are not minified, so functions and classes keep
    // their names in stack traces (esbuild renames only a top-level name that two modules share, e.g.
    // `require2`; every error class Agora matches on sets its `name` itself). Not `keepNames`: its
    // `__name()` wrapper runs on every closure created per request (≈ 1 % of the hot read's CPU).
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    write: false,
  });
  // ASCII only, so V8 holds the source as one byte per character (scripts/lib/ascii-only.mjs).
  const js = result.outputFiles.find((f) => f.path === outfile);
  const mapFile = result.outputFiles.find((f) => f.path === `${outfile}.map`);
  if (!js || !mapFile) throw new Error(`${outfile}: esbuild wrote no bundle or no source map`);
  const ascii = asciiOnly(js.text, JSON.parse(mapFile.text), path.relative(ROOT, outfile));
  await Promise.all([writeFile(outfile, ascii.code), writeFile(mapFile.path, JSON.stringify(ascii.map))]);
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const dynamic = output?.imports.filter((i) => i.kind === 'dynamic-import') ?? [];
  if (dynamic.length) throw new Error(`${outfile}: import() left in a CommonJS bundle (${dynamic.map((i) => i.path).join(', ')})`);
  const bytes = Buffer.byteLength(ascii.code);
  return {
    outfile: path.relative(ROOT, outfile),
    megabytes: bytes / 2 ** 20,
    ms: performance.now() - started,
  };
}

/**
 * A service's entry point, services/<name>/dist/main.bundle.mjs: mesh's launcher (bundled in, so
 * nothing is resolved at start) called on the .cjs of its own name beside it — main.bundle.cjs, or
 * main.before.bundle.cjs for a copy kept to compare builds (bench/ab-posts.mjs).
 */
async function launcher(service, outfile) {
  const launch = path.join(ROOT, 'mesh/dist/code-cache/launch.js');
  if (!existsSync(launch)) throw new Error(`${path.relative(ROOT, launch)} is missing: run tsc -b first`);
  await build({
    stdin: {
      contents: `import { launchBundle } from ${JSON.stringify(launch)};\nawait launchBundle(${JSON.stringify(service)}, new URL(import.meta.url.replace(/\\.mjs$/, '.cjs')));\n`,
      resolveDir: path.dirname(outfile),
      sourcefile: 'launch-entry.mjs',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

async function main() {
  const SERVICES = await serviceNames();
  const asked = process.argv.slice(2);
  const unknown = asked.filter((s) => !SERVICES.includes(s));
  if (unknown.length) throw new Error(`unknown service(s): ${unknown.join(', ')} (known: ${SERVICES.join(', ')})`);
  const targets = [];
  const services = asked.length ? asked : SERVICES;
  for (const s of services) {
    const entry = path.join(ROOT, 'services', s, 'dist', 'start.js');
    if (!existsSync(entry)) throw new Error(`${path.relative(ROOT, entry)} is missing: run tsc -b first (npm run build does both)`);
    targets.push([entry, path.join(ROOT, 'services', s, 'dist', 'main.bundle.cjs')]);
  }
  const results = await Promise.all([
    ...targets.map(([entry, outfile]) => bundle(entry, outfile)),
    ...services.map((s) => launcher(s, path.join(ROOT, 'services', s, 'dist', 'main.bundle.mjs')).then(() => undefined)),
  ]);
  for (const r of results.filter(Boolean)) console.log(`[bundle] ${r.outfile} ${r.megabytes.toFixed(1)} MiB (${r.ms.toFixed(0)} ms)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`[bundle] ${err.message}`);
    process.exit(1);
  });
}
