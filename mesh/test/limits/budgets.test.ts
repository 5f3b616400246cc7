import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ACCOUNT_LIMIT_SETTINGS, LIMITED_ACTIONS, parseBudgets } from '../../src/limits/index.js';

describe('budget settings', () => {
  it('reads windows of points per length', () => {
    expect(parseBudgets('30/1h,5/1m')).toEqual([
      { points: 30, seconds: 3600 },
      { points: 5, seconds: 60 },
    ]);
    expect(parseBudgets('100/d')).toEqual([{ points: 100, seconds: 86_400 }]);
    expect(parseBudgets(' 3/10s ')).toEqual([{ points: 3, seconds: 10 }]);
  });

  it.each(['', '30', '30/h/1', 'x/1h', '30/1w', '0/1h', '5/0m', '-1/1h', '30/1h,5/60m'])('refuses %j', (setting) => {
    expect(typeof parseBudgets(setting)).toBe('string');
  });

  it('defaults every action to its documented budget and names a bad variable', () => {
    const schema = z.object({ ...ACCOUNT_LIMIT_SETTINGS.post, ...ACCOUNT_LIMIT_SETTINGS.upload });
    expect(schema.parse({})).toEqual({
      RATE_LIMIT_POSTS: parseBudgets(LIMITED_ACTIONS.post.fallback),
      RATE_LIMIT_UPLOADS: [{ points: 50, seconds: 3600 }],
    });
    const bad = schema.safeParse({ RATE_LIMIT_POSTS: 'lots' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['RATE_LIMIT_POSTS']);
  });
});
