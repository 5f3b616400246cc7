// Reads a V8 .cpuprofile (node --cpu-prof) and answers: which frames take the samples (self time),
// grouped by function and by module, and what share of the samples has a given frame on its stack.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `skipMs`: leave out the first ms of the profile (start-up), `tailMs`: the last ones (shutdown). */
export async function readProfile(file, { skipMs = 0, tailMs = 0 } = {}) {
  const profile = JSON.parse(await readFile(file, 'utf8'));
  await unbundleFrames(profile);
  if (skipMs || tailMs) {
    const times = [];
    let t = profile.startTime;
    for (const d of profile.timeDeltas) times.push((t += d));
    const from = profile.startTime + skipMs * 1000;
    const to = profile.endTime - tailMs * 1000;
    profile.samples = profile.samples.filter((_, i) => times[i] >= from && times[i] <= to);
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const counts = new Map();
  for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
  const total = profile.samples.length;
  const idle = [...counts].filter(([id]) => ['(idle)', '(program)'].includes(byId.get(id).callFrame.functionName)).reduce((a, [, c]) => a + c, 0);
  const stack = (id) => {
    const frames = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) frames.push(byId.get(cur).callFrame);
    return frames;
  };
  return { byId, counts, total, busy: total - idle, stack };
}

/**
 * The services run as esbuild bundles (scripts/bundle.mjs), where every frame's url is the bundle
 * itself (main.bundle.cjs's by its path: vm.Script compiles it, mesh/src/code-cache). Each frame is mapped back through the bundle's source map (which esbuild chained through
 * tsc's maps) to the file it came from — `node_modules/<package>/…` or `mesh/src/…` — so that frames
 * are attributed to their packages exactly as for unbundled code.
 */
async function unbundleFrames(profile) {
  const maps = new Map();
  for (const node of profile.nodes) {
    // A service's code, compiled with vm.Script from its code cache, names its frames by path.
    const f = node.callFrame.url?.startsWith('/') ? { ...node.callFrame, url: pathToFileURL(node.callFrame.url).href } : node.callFrame;
    if (!f.url?.startsWith('file://') || !/\.[cm]js$/.test(f.url)) continue;
    if (!maps.has(f.url)) {
      const mapFile = `${fileURLToPath(f.url)}.map`;
      maps.set(
        f.url,
        existsSync(mapFile) ? { map: new SourceMap(JSON.parse(await readFile(mapFile, 'utf8'))), dir: path.dirname(mapFile) } : undefined,
      );
    }
    const entry = maps.get(f.url);
    const hit = entry?.map.findEntry(f.lineNumber, f.columnNumber);
    if (!hit?.originalSource) continue;
    const source = hit.originalSource.startsWith('file://') ? hit.originalSource : pathToFileURL(path.resolve(entry.dir, hit.originalSource)).href;
    node.callFrame = { ...f, url: source, lineNumber: hit.originalLine, columnNumber: hit.originalColumn };
  }
}

/** Where a frame's code lives: a package name, a workspace file, node internals, or V8 ((gc) etc.). */
export function moduleOf(frame) {
  const url = frame.url ?? '';
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const m = /\/(mesh|services\/[a-z]+)\/(?:dist|src)\/(.*)$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : url;
}

/** Top frames by self samples, as share of the busy (non-idle) samples. */
export function topSelf(p, n = 15, key = (f) => `${f.functionName || '(anonymous)'} ${moduleOf(f)}:${f.lineNumber + 1}`) {
  const agg = new Map();
  for (const [id, c] of p.counts) {
    const f = p.byId.get(id).callFrame;
    if (['(idle)', '(program)'].includes(f.functionName)) continue;
    const k = key(f);
    agg.set(k, (agg.get(k) ?? 0) + c);
  }
  return [...agg]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, c]) => ({ frame: k, share: c / p.busy }));
}

/**
 * Busy samples by the outermost package (node_modules) frame on their stack: a start's time spent
 * in a package and everything it called, e.g. evaluating graphile-worker's modules with what they
 * require. A sample with no package frame counts for its innermost frame's module (V8's compile and
 * GC, the workspace's own code).
 */
export function topOutermostPackage(p, n = 15) {
  const agg = new Map();
  for (const [id, c] of p.counts) {
    if (['(idle)', '(program)'].includes(p.byId.get(id).callFrame.functionName)) continue;
    const frames = p.stack(id);
    const outer = frames.findLast((f) => (f.url ?? '').includes('node_modules/'));
    const k = outer ? moduleOf(outer) : `${moduleOf(frames[0])} (no package frame)`;
    agg.set(k, (agg.get(k) ?? 0) + c);
  }
  return [...agg]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, c]) => ({ frame: k, share: c / p.busy }));
}

/** Share of busy samples with a frame matching `pred` anywhere on the stack (inclusive time). */
export function inclusiveShare(p, pred) {
  let hit = 0;
  for (const [id, c] of p.counts) {
    if (['(idle)', '(program)'].includes(p.byId.get(id).callFrame.functionName)) continue;
    if (p.stack(id).some(pred)) hit += c;
  }
  return hit / p.busy;
}

/**
 * Attributes every busy sample to a layer of the request path: the innermost frame on its stack
 * that belongs to a layer decides (so a socket write made by pg counts as "database driver", one
 * made by koa's respond as "HTTP / Koa").
 */
export const LAYERS = [
  ['token check', (m) => m === 'jose' || m.startsWith('mesh/auth/')],
  [
    'tracing (OpenTelemetry)',
    (m) =>
      m.startsWith('@opentelemetry/') ||
      m === 'import-in-the-middle' ||
      m === 'require-in-the-middle' ||
      m.startsWith('mesh/observability/tracing') ||
      m.startsWith('mesh/observability/server-span'),
  ],
  [
    'logging (pino)',
    (m) =>
      m === 'pino' ||
      m.startsWith('@pinojs/') ||
      m === 'sonic-boom' ||
      m === 'fast-redact' ||
      m.startsWith('mesh/logger') ||
      m.startsWith('mesh/http/access-log'),
  ],
  ['metrics (prom-client)', (m) => m === 'prom-client' || m.startsWith('mesh/observability/metrics')],
  [
    'ORM (Sequelize)',
    (m) => m === 'sequelize' || m === 'lodash' || m === 'moment' || m === 'moment-timezone' || m === 'inflection' || m === 'wkx' || m === 'dottie',
  ],
  [
    'database driver (pg)',
    (m) => m === 'pg' || m === 'pg-protocol' || m === 'pg-types' || m === 'postgres-date' || m === 'postgres-array' || m === 'pg-pool',
  ],
  ['validation and routes (tsoa)', (m) => m === '@tsoa/runtime' || m === 'validator' || /^services\/[a-z]+\/generated\//.test(m)],
  ['service code', (m) => /^services\//.test(m) || m.startsWith('mesh/')],
  [
    'HTTP / Koa',
    (m) =>
      m.startsWith('koa') ||
      m.startsWith('@koa/') ||
      m === 'delegates' ||
      m === 'helmet' ||
      m === 'http-errors' ||
      m === 'cookies' ||
      m === 'accepts' ||
      m === 'type-is' ||
      m === 'statuses' ||
      m === 'content-type' ||
      m === 'vary' ||
      m === 'on-finished' ||
      m === 'depd' ||
      m === 'koa-compose' ||
      m.startsWith('node:_http'),
  ],
];

export function layerShares(p) {
  const agg = new Map();
  for (const [id, c] of p.counts) {
    const leaf = p.byId.get(id).callFrame;
    if (['(idle)', '(program)'].includes(leaf.functionName)) continue;
    let layer = leaf.functionName === '(garbage collector)' ? 'garbage collection' : undefined;
    if (!layer) {
      for (const f of p.stack(id)) {
        const m = moduleOf(f);
        const hit = LAYERS.find(([, test]) => test(m));
        if (hit) {
          layer = hit[0];
          break;
        }
      }
    }
    layer ??= 'other (node internals, promises, async hooks)';
    agg.set(layer, (agg.get(layer) ?? 0) + c);
  }
  return [...agg].sort((a, b) => b[1] - a[1]).map(([layer, c]) => ({ layer, share: c / p.busy }));
}
