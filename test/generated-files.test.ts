import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { generate } from '../scripts/generate.mjs';

/**
 * Every derived file (tsoa routes, OpenAPI documents, the merged public API, the typed client, the
 * Istio policies) is rendered again from its sources and compared with the committed copy.
 */
describe('generated files', () => {
  it('are up to date (run `npm run generate` and commit if this fails)', async () => {
    const { count, stale } = await generate({ check: true, log: () => undefined });
    expect(count).toBeGreaterThanOrEqual(4);
    expect(stale).toEqual([]);
  }, 180_000);

  it('the check names a committed copy that differs', async () => {
    const readCurrent = async (abs: string, rel: string) => {
      const text = existsSync(abs) ? await readFile(abs, 'utf8') : undefined;
      return rel === 'openapi/agora.json' ? `${text} ` : text;
    };
    const { stale } = await generate({ check: true, log: () => undefined, readCurrent });
    expect(stale).toEqual(['openapi/agora.json']);
  }, 180_000);
});
