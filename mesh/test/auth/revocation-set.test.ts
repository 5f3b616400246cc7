import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RevocationSet, type RevocationEntry } from '../../src/auth/revocation-set.js';
import type { UserPrincipal } from '../../src/auth/principal.js';

/** The in-memory half of revocation (SECURITY.md "Revocation"): lookups, expiry, lifting, the bound. */
const NOW = Date.parse('2026-11-28T12:00:00Z');
const MIN = 60_000;

function principal(over: Partial<UserPrincipal> = {}): UserPrincipal {
  return {
    kind: 'user',
    userId: randomUUID(),
    roles: [],
    sessionId: randomUUID(),
    tokenId: randomUUID(),
    issuedAt: (NOW - 5 * MIN) / 1000,
    expiresAt: (NOW + 10 * MIN) / 1000,
    ...over,
  };
}
const entry = (e: Partial<RevocationEntry> & Pick<RevocationEntry, 'kind' | 'subject'>): RevocationEntry => ({
  state: e.kind === 'session' ? 'revoked' : 'suspended',
  revokedAt: NOW - MIN,
  expiresAt: NOW + 16 * MIN,
  ...e,
});
const loaded = (max?: number) => {
  const set = new RevocationSet(max);
  set.markLoaded();
  return set;
};

describe('RevocationSet', () => {
  it('answers "unavailable" until its first load, then nothing for a token nobody revoked', () => {
    const set = new RevocationSet();
    const p = principal();
    expect(set.check(p, NOW)).toBe('revocations_unavailable');
    set.markLoaded();
    expect(set.check(p, NOW)).toBeUndefined();
  });

  it('refuses a revoked session and a suspended or deleted account, by sid and by sub', () => {
    const set = loaded();
    const [s, a, d] = [principal(), principal(), principal()];
    set.apply(entry({ kind: 'session', subject: s.sessionId }), NOW);
    set.apply(entry({ kind: 'account', subject: a.userId }), NOW);
    set.apply(entry({ kind: 'account', subject: d.userId, state: 'deleted' }), NOW);
    expect(set.check(s, NOW)).toBe('session_revoked');
    expect(set.check({ ...s, sessionId: randomUUID() }, NOW)).toBeUndefined(); // another session of the same user
    expect(set.check(a, NOW)).toBe('account_suspended');
    expect(set.check({ ...a, sessionId: randomUUID() }, NOW)).toBe('account_suspended'); // every session of the account
    expect(set.check(d, NOW)).toBe('account_deleted');
  });

  it('lifts a suspension when the account is active again', () => {
    const set = loaded();
    const p = principal();
    set.apply(entry({ kind: 'account', subject: p.userId }), NOW);
    set.apply(entry({ kind: 'account', subject: p.userId, state: 'active' }), NOW);
    expect(set.check(p, NOW)).toBeUndefined();
    expect(set.size).toBe(0);
  });

  it('drops an entry once every token it could refuse has expired', () => {
    const set = loaded();
    const p = principal();
    set.apply(entry({ kind: 'session', subject: p.sessionId, expiresAt: NOW + MIN }), NOW);
    expect(set.check(p, NOW + MIN - 1)).toBe('session_revoked');
    expect(set.check(p, NOW + MIN)).toBeUndefined();
    expect(set.size).toBe(0);
    set.apply(entry({ kind: 'session', subject: p.sessionId, expiresAt: NOW - 1 }), NOW); // already expired: not kept
    expect(set.size).toBe(0);
    set.apply(entry({ kind: 'account', subject: p.userId, expiresAt: NOW + MIN }), NOW);
    set.prune(NOW + 2 * MIN);
    expect(set.size).toBe(0);
  });

  it('stays within its bound and fails closed: an evicted revocation still refuses its tokens', () => {
    const set = loaded(3);
    const revoked = [0, 1, 2, 3, 4].map((i) => ({ p: principal({ issuedAt: (NOW - (10 - i) * MIN) / 1000 }), at: NOW - (9 - i) * MIN }));
    for (const { p, at } of revoked) set.apply(entry({ kind: 'session', subject: p.sessionId, revokedAt: at }), NOW);
    expect(set.size).toBe(3);
    expect(set.evictions).toBe(2);
    // Every revoked token is still refused: two by their entries' floor, three by their entries.
    expect(revoked.map(({ p }) => set.check(p, NOW))).toEqual([
      'revoked_before_overflow',
      'revoked_before_overflow',
      'session_revoked',
      'session_revoked',
      'session_revoked',
    ]);
    // A token issued after the floor (the newest evicted revocation + 60 s skew) passes; one before it does not.
    const floor = NOW - 8 * MIN + 60_000;
    expect(set.check(principal({ issuedAt: (floor + 1000) / 1000 }), NOW)).toBeUndefined();
    expect(set.check(principal({ issuedAt: floor / 1000 }), NOW)).toBe('revoked_before_overflow');
  });
});
