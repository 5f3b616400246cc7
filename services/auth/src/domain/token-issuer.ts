import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT, type CryptoKey, type KeyObject } from 'jose';
import { ACCESS_TOKEN_TYPE } from '@agora/mesh';
import { SIGNING_ALGORITHM, type KeyStore } from './key-store.js';

export interface AccessTokenSubject {
  userId: string;
  username: string;
  roles: string[];
  sessionId: string;
  /** When the session last proved who it is (sign-in or re-authentication), epoch seconds. */
  authTime: number;
}

/**
 * Access tokens as RFC 9068 profiles them: `typ: at+jwt`, iss/aud/sub/exp/iat/jti, plus roles, sid,
 * `auth_time` (OpenID Connect's: when the user last authenticated, for operations that want a recent
 * sign-in) and `preferred_username` (users creates a profile from it on the user's first request).
 */
export class TokenIssuer {
  private decoyKey?: Promise<CryptoKey | KeyObject>;

  constructor(
    private readonly keys: KeyStore,
    private readonly issuer: string,
    private readonly audience: string,
    readonly ttlSeconds: number,
  ) {}

  async issue(subject: AccessTokenSubject): Promise<string> {
    const { kid, privateKey } = this.keys.signingKey();
    return this.sign(subject, kid, privateKey);
  }

  /**
   * A token shaped exactly like `issue`'s but signed with a throwaway key that no JWKS publishes, so
   * every verifier refuses it. Sign-up answers a taken email with one (SECURITY.md: the answer must
   * look like a new account's, and must not sign anybody in).
   */
  async issueDecoy(subject: AccessTokenSubject): Promise<string> {
    this.decoyKey ??= generateKeyPair(SIGNING_ALGORITHM).then((pair) => pair.privateKey);
    return this.sign(subject, this.keys.signingKey().kid, await this.decoyKey);
  }

  private sign(subject: AccessTokenSubject, kid: string, key: CryptoKey | KeyObject): Promise<string> {
    return new SignJWT({
      roles: subject.roles,
      sid: subject.sessionId,
      auth_time: subject.authTime,
      preferred_username: subject.username,
      client_id: 'agora',
    })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(subject.userId)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .setJti(randomUUID())
      .sign(key);
  }
}
