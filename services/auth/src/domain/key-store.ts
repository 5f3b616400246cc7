import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importPKCS8,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import type { Database, Queryable } from '@agora/mesh';
import type { SecretBox } from './secret-box.js';
import { KEY_ACTIVATION_DELAY_SECONDS, KEY_REFRESH_INTERVAL_SECONDS } from '../key-activation.js';

export const SIGNING_ALGORITHM = 'ES256';
const KEY_LOCK = 0x6b657973; // "keys": serialises key creation/rotation across replicas

interface SigningKeyRow {
  kid: string;
  publicJwk: JWK;
  privateKeyCiphertext: string;
  activatedAt: Date;
}

interface ActiveKey {
  kid: string;
  privateKey: CryptoKey;
}

/**
 * Signing keys live in the database (private half sealed with SIGNING_KEY_ENCRYPTION_KEY), so every
 * auth replica signs with the same key and publishes the same JWKS. Rotation adds a new active key and
 * keeps the previous public key published until every token it signed has expired (token life +
 * Envoy's clock skew), so rotation never invalidates a live token.
 */
export class KeyStore {
  private active?: ActiveKey;
  private jwksCache: JSONWebKeySet = { keys: [] };
  private localSet: JWTVerifyGetKey = createLocalJWKSet({ keys: [] });
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    /** Seconds a retired key stays in the JWKS: access-token life + clock tolerance. */
    private readonly publishRetiredFor: number,
  ) {}

  /** Creates the first key if there is none, loads the cache and keeps it fresh. */
  async start(refreshIntervalMs = KEY_REFRESH_INTERVAL_SECONDS * 1000): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const now = new Date();
      const current = await tx.query('SELECT kid FROM signing_keys WHERE activated_at <= $1 AND (retired_at IS NULL OR retired_at > $1) LIMIT 1', [
        now,
      ]);
      if (!current.length) await this.insertKey(now, tx);
    });
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), refreshIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Adds a new signing key, published at once and used for signing from `now + activationDelay`.
   * The delay lets every verifier see the new key before any token carries its kid (jose refetches a
   * JWKS on an unknown kid at most every 30 s). The keys it replaces stop signing at that moment and
   * stay published for `publishRetiredFor` seconds more, the life of the last token they signed.
   */
  async rotate(
    now = new Date(),
    activationDelaySeconds = KEY_ACTIVATION_DELAY_SECONDS,
  ): Promise<{ kid: string; retired: string[]; activatesAt: Date }> {
    const activatesAt = new Date(now.getTime() + activationDelaySeconds * 1000);
    const result = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const publishedUntil = new Date(activatesAt.getTime() + this.publishRetiredFor * 1000);
      const retired = await tx.query<{ kid: string }>(
        'UPDATE signing_keys SET retired_at = $1, published_until = $2, updated_at = now() WHERE retired_at IS NULL RETURNING kid',
        [activatesAt, publishedUntil],
      );
      const kid = await this.insertKey(activatesAt, tx);
      return { kid, retired: retired.map((k) => k.kid), activatesAt };
    });
    await this.refresh(now);
    return result;
  }

  /** Reloads the published keys and the signing key as of `now` (every replica converges within one interval). */
  async refresh(now = new Date()): Promise<void> {
    const keys = await this.db.query<SigningKeyRow>(
      `SELECT kid, public_jwk AS "publicJwk", private_key_ciphertext AS "privateKeyCiphertext", activated_at AS "activatedAt"
         FROM signing_keys WHERE published_until IS NULL OR published_until > $1 ORDER BY activated_at DESC`,
      [now],
    );
    const signing = keys.find((k) => k.activatedAt.getTime() <= now.getTime());
    if (signing && signing.kid !== this.active?.kid) {
      const pem = this.box.open(signing.privateKeyCiphertext, `signing-key:${signing.kid}`);
      this.active = { kid: signing.kid, privateKey: await importPKCS8(pem, SIGNING_ALGORITHM) };
    }
    this.jwksCache = { keys: keys.map((k) => k.publicJwk) };
    this.localSet = createLocalJWKSet(this.jwksCache);
  }

  signingKey(): ActiveKey {
    if (!this.active) throw new Error('KeyStore not started');
    return this.active;
  }

  jwks(): JSONWebKeySet {
    return this.jwksCache;
  }

  /** Key resolver for verifying our own tokens without an HTTP round trip to ourselves. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.kid && !this.jwksCache.keys.some((k) => k.kid === header.kid)) await this.refresh();
    return this.localSet(header, token);
  };

  private async insertKey(activatedAt: Date, tx: Queryable): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    const publicJwk = { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
    const sealed = this.box.seal(await exportPKCS8(privateKey), `signing-key:${kid}`);
    await tx.execute('INSERT INTO signing_keys (kid, algorithm, public_jwk, private_key_ciphertext, activated_at) VALUES ($1, $2, $3, $4, $5)', [
      kid,
      SIGNING_ALGORITHM,
      JSON.stringify(publicJwk),
      sealed,
      activatedAt,
    ]);
    return kid;
  }
}
