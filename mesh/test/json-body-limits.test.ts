/**
 * bodyViolation (mesh/src/http/json-body-limits.ts): what a parsed JSON body may not contain although
 * JSON allows it, found in one walk, with the field named for the problem document.
 */
import { describe, expect, it } from 'vitest';
import { bodyViolation, MAX_JSON_DEPTH } from '@agora/mesh/http/json-body-limits';

const nested = (levels: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < levels; i += 1) v = [v];
  return v;
};

describe('bodyViolation', () => {
  it('accepts ordinary bodies, and nesting up to the limit', () => {
    expect(bodyViolation({ text: 'hello', mediaIds: ['a', 'b'], n: 1, ok: true, none: null }, MAX_JSON_DEPTH)).toBeUndefined();
    expect(bodyViolation(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBeUndefined();
    expect(bodyViolation(undefined, MAX_JSON_DEPTH)).toBeUndefined();
  });

  it('finds nesting deeper than the limit, without recursion (20 000 levels)', () => {
    expect(bodyViolation(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe('too-deep');
    expect(bodyViolation(nested(20_000), MAX_JSON_DEPTH)).toBe('too-deep');
  });

  it('finds U+0000 in a value or a key and names the field', () => {
    expect(bodyViolation({ text: 'a\u0000b' }, MAX_JSON_DEPTH)).toEqual({ field: 'text' });
    expect(bodyViolation({ profile: { bio: '\u0000' } }, MAX_JSON_DEPTH)).toEqual({ field: 'profile.bio' });
    expect(bodyViolation({ mediaIds: ['ok', 'x\u0000'] }, MAX_JSON_DEPTH)).toEqual({ field: 'mediaIds.1' });
    expect(bodyViolation({ profile: { 'k\u0000': 1 } }, MAX_JSON_DEPTH)).toEqual({ field: 'profile' });
    expect(bodyViolation('\u0000', MAX_JSON_DEPTH)).toEqual({ field: 'body' });
  });
});
