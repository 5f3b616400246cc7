// Makes esbuild's output 7-bit ASCII. esbuild's default charset (ascii) escapes strings, templates and
// identifiers, but leaves regular-expression literals as raw UTF-8 (evanw/esbuild#4205: escaping
// them changes RegExp.prototype.source). One such literal — validator's per-locale alphabets, which
// @tsoa/runtime bundles, or mesh's own plain-text rule — is enough for V8 to hold the whole bundle's
// source as a two-byte string: twice its size, for the life of the process, since V8 keeps a
// script's source to compile functions lazily (docs/benchmarks.md, row 5).
//
// Inside a regular-expression or string literal (found by acorn's tokenizer, not by pattern), each
// UTF-16 code unit above 0x7F becomes `\uXXXX`: the same character, in a regular expression with or
// without the u flag (where an escaped surrogate pair is one code point). What changes is such a
// regular expression's `source`, which nothing in Agora reads. A non-ASCII character anywhere else (a
// template, whose raw text a tag may read) is refused with its position, and so is one after a
// backslash (`\é`), which as `\\u…` would mean something else.
import { decode, encode } from '@jridgewell/sourcemap-codec';
import { getLineInfo, tokenizer } from 'acorn';

const NON_ASCII = /[\u0080-\uffff]/; // any UTF-16 code unit above 0x7F

/**
 * The regular-expression and string literals that contain a non-ASCII character: their offsets, and
 * the line (0-based, as the source map counts) and column where each starts.
 */
function literalsToEscape(code) {
  const literals = [];
  const options = { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true, allowReturnOutsideFunction: true, locations: true };
  for (const token of tokenizer(code, options)) {
    if ((token.type.label === 'regexp' || token.type.label === 'string') && NON_ASCII.test(code.slice(token.start, token.end)))
      literals.push({ start: token.start, end: token.end, line: token.loc.start.line - 1, column: token.loc.start.column });
  }
  return literals;
}

/**
 * `code` with every non-ASCII character of its regular-expression and string literals escaped, and its source
 * map (esbuild's, as an object) with the generated columns moved to match. Throws if a non-ASCII
 * character is left anywhere else. `file` names the bundle in errors.
 */
export function asciiOnly(code, map, file = 'bundle') {
  if (!NON_ASCII.test(code)) return { code, map, escaped: 0 };
  const where = (text, offset) => {
    const { line, column } = getLineInfo(text, offset);
    return `${file}:${line}:${column + 1}`;
  };
  let out = '';
  let from = 0;
  const shifts = new Map(); // generated line → [[old column after an escape, characters added so far on the line]]
  let escaped = 0;
  for (const { start, end, line, column } of literalsToEscape(code)) {
    out += code.slice(from, start);
    const lineShifts = shifts.get(line) ?? [];
    let added = lineShifts.at(-1)?.[1] ?? 0;
    for (let i = start; i < end; i++) {
      const unit = code.charCodeAt(i);
      if (unit < 0x80) {
        out += code[i];
        continue;
      }
      let backslashes = 0;
      for (let j = i - 1; j >= start && code[j] === '\\'; j--) backslashes++;
      if (backslashes % 2 === 1)
        throw new Error(`${where(code, i)}: an escaped non-ASCII character in a literal would change meaning as \\u${unit.toString(16)}`);
      out += `\\u${unit.toString(16).toUpperCase().padStart(4, '0')}`;
      added += 5;
      escaped += 1;
      lineShifts.push([column + (i - start) + 1, added]);
    }
    shifts.set(line, lineShifts);
    from = end;
  }
  out += code.slice(from);
  const left = NON_ASCII.exec(out);
  if (left)
    throw new Error(`${where(out, left.index)}: a non-ASCII character outside a regular expression or a string (a template?) is left in the bundle`);
  if (!map) return { code: out, map, escaped };
  const mappings = decode(map.mappings);
  for (const [line, lineShifts] of shifts) {
    for (const segment of mappings[line] ?? []) {
      let shift = 0;
      for (const [at, added] of lineShifts) {
        if (at > segment[0]) break;
        shift = added;
      }
      segment[0] += shift;
    }
  }
  return { code: out, map: { ...map, mappings: encode(mappings) }, escaped };
}
