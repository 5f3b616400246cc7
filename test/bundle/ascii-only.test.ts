import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decode } from '@jridgewell/sourcemap-codec';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { SERVICES } from '@agora/mesh/topology';
// @ts-expect-error: a build script in plain JavaScript, without declarations
import { asciiOnly } from '../../scripts/lib/ascii-only.mjs';

/**
 * The bundles are 7-bit ASCII (scripts/lib/ascii-only.mjs), so V8 holds their source as one byte per
 * character; escaping a regular expression's characters must not change what it matches, and the
 * source map must still point at the same original positions.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
type Result = { code: string; map?: { mappings: string }; escaped: number };
const ascii = asciiOnly as (code: string, map?: object, file?: string) => Result;

const SAMPLE = [
  'const de = /^[A-ZÄÖÜß]+$/i;',
  'const ru = /^[А-ЯЁ]+$/i;',
  "const plain = /^[\\p{L}\\p{N} ,.;:()'’–—/_@-]{1,200}$/u;",
  'const emoji = /^😀+$/u;',
  'const legacy = /^😀$/;',
  "const s = 'é';",
].join('\n');
const SAMPLE_INPUTS = ['ÄÖÜß', 'abc', 'ПРИВЕТ', 'ПРИВЕТ!', 'it’s – fine — ok', 'tab\tno', '😀😀', '😀', '😀😀x', 'é'];

function evaluate(code: string): Record<string, RegExp | string> {
  return new Function(`${code}\nreturn { de, ru, plain, emoji, legacy, s };`)() as Record<string, RegExp | string>;
}

describe('ASCII-only bundles', () => {
  it('escapes regular-expression and string literals without changing what they match', () => {
    const out = ascii(SAMPLE);
    expect(out.code).toMatch(/^[^\u0080-\uffff]*$/);
    expect(out.escaped).toBeGreaterThan(10);
    const before = evaluate(SAMPLE);
    const after = evaluate(out.code);
    for (const name of ['de', 'ru', 'plain', 'emoji', 'legacy']) {
      const [b, a] = [before[name] as RegExp, after[name] as RegExp];
      expect(a.flags, name).toBe(b.flags);
      for (const input of SAMPLE_INPUTS) expect(a.test(input), `${name} on ${JSON.stringify(input)}`).toBe(b.test(input));
    }
    expect(after.s).toBe(before.s);
  });

  it('refuses what escaping would change: an identity escape, a non-ASCII character in a template', () => {
    expect(() => ascii('const r = /\\é/;', undefined, 'x.cjs')).toThrow(/x\.cjs:1:\d+: an escaped non-ASCII character/);
    expect(() => ascii('const t = String.raw`é`;', undefined, 'x.cjs')).toThrow(
      /x\.cjs:1:\d+: a non-ASCII character outside a regular expression or a string/,
    );
  });

  it("moves the source map's columns with the escapes", async () => {
    const source = 'export const check = (s) => /^[ÄÖÜ]+$/.test(s) && marker(s);\nfunction marker(s) { return s.length > 1; }\n';
    const built = await build({
      stdin: { contents: source, sourcefile: 'in.js', loader: 'js' },
      format: 'cjs',
      write: false,
      sourcemap: 'external',
      outfile: 'out.js',
    });
    const code = built.outputFiles.find((f) => f.path.endsWith('out.js'))!.text;
    const map = JSON.parse(built.outputFiles.find((f) => f.path.endsWith('.map'))!.text);
    const out = ascii(code, map);
    // The original position of the generated `marker(` call after the regular expression, before and after.
    const originalOf = (text: string, mappings: string) => {
      const lines = text.split('\n');
      const line = lines.findIndex((l) => l.includes('&& marker('));
      const column = lines[line]!.indexOf('marker(', lines[line]!.indexOf('&&'));
      const segment = decode(mappings)[line]!.find((s) => s[0] === column);
      return segment && segment.slice(2, 4);
    };
    const before = originalOf(code, map.mappings);
    expect(before, 'esbuild maps the call').toBeDefined();
    expect(originalOf(out.code, out.map!.mappings)).toEqual(before);
  });

  it('every service bundle that `npm run build` made is ASCII-only', async () => {
    for (const { name } of SERVICES) {
      const bundle = await readFile(path.join(ROOT, 'services', name, 'dist', 'main.bundle.cjs'), 'latin1');
      const at = /[\u0080-\uffff]/.exec(bundle)?.index;
      expect(at, `services/${name}/dist/main.bundle.cjs has a non-ASCII byte at ${at}`).toBeUndefined();
    }
  });
});
