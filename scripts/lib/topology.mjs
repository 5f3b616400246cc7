// The service list for plain-JS scripts (bundle, generators, bench): read from tsc's output of the
// one topology (mesh/src/topology.ts), never written out again here.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function topology() {
  const compiled = path.join(ROOT, 'mesh/dist/topology.js');
  if (!existsSync(compiled))
    throw new Error(`${path.relative(ROOT, compiled)} is missing: run \`npx tsc -b mesh\` (npm run build and npm run generate do it)`);
  return import(pathToFileURL(compiled).href);
}

/** The services' names in topology order. */
export async function serviceNames() {
  return [...(await topology()).SERVICE_NAMES];
}
