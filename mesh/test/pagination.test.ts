import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageSize, toPage } from '../src/pagination.js';
import { ProblemError } from '../src/http/problem.js';

describe('keyset pagination helpers', () => {
  it('round-trips a cursor and refuses tampered ones with a 400 problem', () => {
    const c = encodeCursor({ createdAt: '2026-01-01T00:00:00.000Z', id: 'abc' });
    expect(decodeCursor(c, ['createdAt', 'id'])).toEqual({ createdAt: '2026-01-01T00:00:00.000Z', id: 'abc' });
    for (const bad of ['%%%', encodeCursor({ createdAt: 1 } as never), 'x'.repeat(600), Buffer.from('[1]').toString('base64url')]) {
      expect(() => decodeCursor(bad, ['createdAt', 'id'])).toThrow(ProblemError);
    }
    expect(decodeCursor(undefined, ['id'])).toBeUndefined();
  });

  it('validates limit', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(0)).toThrow(ProblemError);
    expect(() => pageSize(101)).toThrow(ProblemError);
  });

  it('builds a page from limit + 1 rows', () => {
    const rows = [1, 2, 3].map((n) => ({ id: String(n) }));
    const page = toPage(rows, 2, (r) => r.id, (r) => ({ id: r.id }));
    expect(page.items).toEqual(['1', '2']);
    expect(decodeCursor(page.nextCursor!, ['id'])).toEqual({ id: '2' });
    expect(toPage(rows, 3, (r) => r.id, (r) => ({ id: r.id })).nextCursor).toBeNull();
  });
});
