#!/usr/bin/env node
// `npm run generate` regenerates every derived file from its source, in dependency order:
//   1. tsoa: routes + OpenAPI document per service        (scripts/generate/tsoa.mjs)
//   2. the merged public API of the ingress                (scripts/generate/public-api.mjs)
//   3. the typed TypeScript client of that API             (scripts/generate/client.mjs)
//   4. Istio AuthorizationPolicies from the contracts      (scripts/generate/istio-policies.mjs)
//   5. Istio ingress routes, RequestAuthentications and
//      DestinationRules from the topology                 (scripts/generate/istio-routing.mjs)
//   6. the local run's Prometheus scrape jobs              (scripts/generate/prometheus-local.mjs)
//   7. AgoraServiceAbsent's absent() list in presence.yml  (scripts/generate/presence-rules.mjs)
//   8. the dev overlay's databases and ingress CORS patch  (scripts/generate/dev-cluster.mjs)
//   9. the per-service lists in hand-written build,
//      deployment and test files, and tsconfig.json       (scripts/generate/service-lists.mjs)
//  10. web/Dockerfile's stages shared with the Dockerfile  (scripts/generate/web-dockerfile.mjs)
// `npm run generate -- --check` renders everything without writing and fails, naming each file,
// when a committed copy differs; the test suite runs it so a stale copy cannot land.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STEPS = [
  'tsoa',
  'public-api',
  'client',
  'istio-policies',
  'istio-routing',
  'prometheus-local',
  'presence-rules',
  'dev-cluster',
  'service-lists',
  'web-dockerfile',
];

export async function generate({ check = false, log = console.log, readCurrent = readIfExists } = {}) {
  const stale = [];
  let count = 0;
  for (const step of STEPS) {
    const file = path.join(root, 'scripts', 'generate', `${step}.mjs`);
    if (!existsSync(file)) continue;
    const { render } = await import(pathToFileURL(file).href);
    const files = await render(root);
    for (const [rel, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
      count += 1;
      const abs = path.join(root, rel);
      const current = await readCurrent(abs, rel);
      if (current === content) continue;
      if (check) {
        stale.push(rel);
      } else {
        await mkdir(path.dirname(abs), { recursive: true });
        await writeFile(abs, content);
        log(`generate: wrote ${rel}`);
      }
    }
  }
  return { count, stale };
}

async function readIfExists(abs) {
  return existsSync(abs) ? readFile(abs, 'utf8') : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const check = process.argv.includes('--check');
  const { count, stale } = await generate({ check });
  if (stale.length) {
    console.error(`generate --check: ${stale.length} generated file(s) are stale; run \`npm run generate\` and commit:\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`generate: ${count} file(s) ${check ? 'up to date' : 'in place'}`);
}
