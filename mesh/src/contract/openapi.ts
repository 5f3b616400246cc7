import { readFile } from 'node:fs/promises';

/**
 * The committed contract of a service (openapi/<service>.json), which the app serves at
 * /openapi.json and from which it learns each operation's query parameters (app.ts refuses the
 * others). The document is part of the service: a build or image without it is broken, so a missing
 * file fails the start with the path it looked for, instead of a service that silently answers
 * differently from its siblings.
 *
 * Resolved from this module's URL: tsc's output (mesh/dist/contract/openapi.js) and a service's
 * bundle (services/<name>/dist/main.bundle.mjs, where esbuild keeps the bundle's own import.meta.url)
 * both sit three folders below the repository root (/app in the images), beside openapi/.
 */
export async function loadOpenApi(service: string): Promise<object> {
  if (!/^[a-z][a-z0-9-]*$/.test(service)) throw new Error(`loadOpenApi: "${service}" is not a service name`);
  const url = new URL(`../../../openapi/${service}.json`, import.meta.url);
  let text: string;
  try {
    text = await readFile(url, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${service}: its contract ${url.pathname} is missing; run \`npm run generate\`, or copy openapi/${service}.json into the image`,
        { cause: err },
      );
    }
    throw err;
  }
  return JSON.parse(text) as object;
}
