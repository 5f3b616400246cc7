import { readFile } from 'node:fs/promises';

/**
 * The committed contract (openapi/users.json), served at /openapi.json for Swagger UI. An image
 * built without the openapi/ folder simply serves no docs rather than failing to start.
 */
export async function loadOpenApi(): Promise<object | undefined> {
  const url = new URL('../../../openapi/users.json', import.meta.url);
  try {
    return JSON.parse(await readFile(url, 'utf8')) as object;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
