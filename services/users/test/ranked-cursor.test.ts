import { describe, expect, it } from 'vitest';
import { encodeRankedCursor, rankedPosition, RANKED_START } from '../src/domain/ranked-cursor.js';

const ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('ranked cursor', () => {
  it('round-trips the score text exactly, bound to its query', () => {
    for (const s of ['2.5714285714285716', '0.3', '3', '1e-05', '4']) {
      expect(rankedPosition(encodeRankedCursor({ s, id: ID }, 'ada'), 'ada')).toEqual({ s, id: ID });
    }
    expect(rankedPosition(undefined, 'ada')).toEqual(RANKED_START);
    expect(rankedPosition('', 'ada')).toEqual(RANKED_START);
  });

  it('refuses another query, scores out of range or not decimal text, bad ids', () => {
    const bad = [
      encodeRankedCursor({ s: '1', id: ID }, 'bob'),
      encodeRankedCursor({ s: '4.5', id: ID }, 'ada'),
      encodeRankedCursor({ s: '-1', id: ID }, 'ada'),
      encodeRankedCursor({ s: 'Infinity', id: ID }, 'ada'),
      encodeRankedCursor({ s: '0x1', id: ID }, 'ada'),
      encodeRankedCursor({ s: ' 1', id: ID }, 'ada'),
      encodeRankedCursor({ s: '1', id: 'nope' }, 'ada'),
    ];
    for (const cursor of bad) expect(() => rankedPosition(cursor, 'ada')).toThrow(/cursor/);
  });
});
