import { hash } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { UserPrincipal } from './principal.js';

/**
 * The service-side half of "one token, checked twice": the same checks Istio's RequestAuthentication
 * makes (issuer, audience, signature against the auth service's JWKS, expiry) plus what Envoy does
 * not check (algorithm allow-list, `typ: at+jwt`, required claims).
 *
 * Envoy accepts 60 s of clock skew; using the same tolerance keeps the two checkpoints in agreement
 * near expiry.
 */
export const CLOCK_TOLERANCE_SECONDS = 60;
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const ALLOWED_ALGORITHMS = ['ES256'];
/** Far above any token we issue (~600 bytes); refuses absurd headers before any parsing work. */
export const MAX_TOKEN_LENGTH = 4096;

export type RejectReason =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'unknown_kid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_type'
  | 'bad_algorithm'
  | 'jwks_unavailable';

export class TokenRejected extends Error {
  constructor(readonly reason: RejectReason) {
    super(`token rejected: ${reason}`);
    this.name = 'TokenRejected';
  }
}

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** JWKS URL, or a key resolver (tests, or the auth service verifying its own tokens locally). */
  jwks: string | JWTVerifyGetKey;
  /** Verified tokens are cached by hash until they expire; bounded so memory stays flat. */
  cacheSize?: number;
  /** Minimum time between JWKS fetches triggered by unknown kids (jose's cooldown); default 30 s. */
  jwksCooldownMs?: number;
}

export interface TokenVerifier {
  verify(token: string): Promise<UserPrincipal>;
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const getKey =
    typeof options.jwks === 'string'
      ? // jose caches the key set, refetches when a token names an unknown kid (with a cooldown so a
        // flood of bogus kids cannot hammer auth), and times out a slow JWKS endpoint.
        createRemoteJWKSet(new URL(options.jwks), {
          cooldownDuration: options.jwksCooldownMs ?? 30_000,
          cacheMaxAge: 600_000,
          timeoutDuration: 3_000,
        })
      : options.jwks;
  const cache = new VerifiedTokenCache(options.cacheSize ?? 10_000);

  return {
    async verify(token: string): Promise<UserPrincipal> {
      if (!token) throw new TokenRejected('missing');
      if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) throw new TokenRejected('malformed');
      // One-shot crypto.hash (Node ≥ 20.12): no Hash object per request; the cache hit is on every
      // authenticated request's path (see docs/benchmarks.md, row 2).
      const cacheKey = hash('sha256', token, 'base64url');
      const cached = cache.get(cacheKey);
      if (cached) return cached;
      let payload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: ALLOWED_ALGORITHMS,
          typ: ACCESS_TOKEN_TYPE,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['sub', 'exp', 'iat', 'jti', 'sid'],
        }));
      } catch (err) {
        throw new TokenRejected(reasonOf(err));
      }
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
      const principal: UserPrincipal = {
        kind: 'user',
        userId: String(payload.sub),
        username: typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined,
        roles,
        sessionId: String(payload.sid),
        tokenId: String(payload.jti),
        issuedAt: Number(payload.iat),
        expiresAt: Number(payload.exp),
        authTime: typeof payload.auth_time === 'number' && Number.isFinite(payload.auth_time) ? payload.auth_time : undefined,
      };
      if (!/^[0-9a-f-]{36}$/i.test(principal.userId)) throw new TokenRejected('malformed');
      cache.set(cacheKey, principal);
      return principal;
    },
  };
}

function reasonOf(err: unknown): RejectReason {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'iss':
        return 'wrong_issuer';
      case 'aud':
        return 'wrong_audience';
      case 'typ':
        return 'wrong_type';
      case 'nbf':
      case 'iat':
        return 'not_yet_valid';
      default:
        return 'malformed';
    }
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return 'bad_algorithm';
  if (err instanceof errors.JWKSNoMatchingKey) return 'unknown_kid';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return 'jwks_unavailable';
  if (err instanceof Error && /fetch|ECONNREFUSED|network/i.test(err.message)) return 'jwks_unavailable';
  return 'malformed';
}

/**
 * Bounded map of token hash → principal, evicting the oldest entry first. A hit still honours the
 * token's expiry (with the same tolerance), so caching never extends a token's life.
 */
class VerifiedTokenCache {
  private readonly entries = new Map<string, UserPrincipal>();
  constructor(private readonly max: number) {}

  get(key: string): UserPrincipal | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt + CLOCK_TOLERANCE_SECONDS <= Date.now() / 1000) {
      this.entries.delete(key);
      return undefined;
    }
    return hit;
  }

  set(key: string, value: UserPrincipal): void {
    if (this.max <= 0) return;
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, value);
  }
}
