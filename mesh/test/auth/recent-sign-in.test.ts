import { describe, expect, it } from 'vitest';
import { assertRecentSignIn, REAUTHENTICATION_WINDOW_SECONDS } from '../../src/auth/recent-sign-in.js';
import { ProblemError } from '../../src/http/problem.js';
import type { UserPrincipal } from '../../src/auth/principal.js';

const NOW = 1_800_000_000_000;
const principal = (authTime: number | undefined): UserPrincipal => ({
  kind: 'user',
  userId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  roles: ['user'],
  sessionId: 's',
  tokenId: 't',
  issuedAt: NOW / 1000,
  expiresAt: NOW / 1000 + 900,
  authTime,
});

function refusal(authTime: number | undefined): ProblemError | undefined {
  try {
    assertRecentSignIn(principal(authTime), NOW);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ProblemError);
    return err as ProblemError;
  }
}

describe('assertRecentSignIn', () => {
  it('passes a sign-in within the window, its last second included, and one a little in the future (clock skew)', () => {
    expect(refusal(NOW / 1000)).toBeUndefined();
    expect(refusal(NOW / 1000 - REAUTHENTICATION_WINDOW_SECONDS)).toBeUndefined();
    expect(refusal(NOW / 1000 + 30)).toBeUndefined();
  });

  it('refuses an older sign-in and a token without auth_time with 403 reauthenticationRequired', () => {
    for (const authTime of [NOW / 1000 - REAUTHENTICATION_WINDOW_SECONDS - 1, 0, undefined]) {
      const err = refusal(authTime);
      expect(err?.status, String(authTime)).toBe(403);
      expect(err?.extensions, String(authTime)).toEqual({ reauthenticationRequired: true });
    }
  });
});
