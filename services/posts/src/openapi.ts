import { readFile } from 'node:fs/promises';

/**
 * The committed contract (openapi/posts.json), served at /openapi.json for Swagger UI. The runtime
 * image ships only compiled code (see ../Dockerfile), so a missing file means "no docs", not a crash.
 */
export async function loadOpenApi(): Promise<object | undefined> {
  const url = new URL('../../../openapi/posts.json', import.meta.url);
  try {
    return JSON.parse(await readFile(url, 'utf8')) as object;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
