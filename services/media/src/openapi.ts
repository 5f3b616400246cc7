import { readFile } from 'node:fs/promises';

/** The committed contract (openapi/media.json), served at /openapi.json for Swagger UI. */
export async function loadOpenApi(): Promise<object> {
  const url = new URL('../../../openapi/media.json', import.meta.url);
  return JSON.parse(await readFile(url, 'utf8')) as object;
}
