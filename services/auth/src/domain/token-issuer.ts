import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN_TYPE } from '@agora/mesh';
import { SIGNING_ALGORITHM, type KeyStore } from './key-store.js';

export interface AccessTokenSubject {
  userId: string;
  username: string;
  roles: string[];
  sessionId: string;
}

/**
 * Access tokens as RFC 9068 profiles them: `typ: at+jwt`, iss/aud/sub/exp/iat/jti, plus roles, sid and
 * `preferred_username` (users creates a profile from it on the user's first request).
 */
export class TokenIssuer {
  constructor(
    private readonly keys: KeyStore,
    private readonly issuer: string,
    private readonly audience: string,
    readonly ttlSeconds: number,
  ) {}

  async issue(subject: AccessTokenSubject): Promise<string> {
    const { kid, privateKey } = this.keys.signingKey();
    return new SignJWT({ roles: subject.roles, sid: subject.sessionId, preferred_username: subject.username, client_id: 'agora' })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(subject.userId)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .setJti(randomUUID())
      .sign(privateKey);
  }
}
