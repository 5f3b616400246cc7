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
import { Op, type Sequelize } from 'sequelize';
import { SigningKey } from '../models/index.js';
import type { SecretBox } from './secret-box.js';
import { KEY_ACTIVATION_DELAY_SECONDS, KEY_REFRESH_INTERVAL_SECONDS } from '../key-activation.js';

export const SIGNING_ALGORITHM = 'ES256';
const KEY_LOCK = 0x6b657973; // "keys": serialises key creation/rotation across replicas

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
    private readonly sequelize: Sequelize,
    private readonly box: SecretBox,
    /** Seconds a retired key stays in the JWKS: access-token life + clock tolerance. */
    private readonly publishRetiredFor: number,
  ) {}

  /** Creates the first key if there is none, loads the cache and keeps it fresh. */
  async start(refreshIntervalMs = KEY_REFRESH_INTERVAL_SECONDS * 1000): Promise<void> {
    await this.sequelize.transaction(async (transaction) => {
      await this.sequelize.query('SELECT pg_advisory_xact_lock(:k)', { replacements: { k: KEY_LOCK }, transaction });
      const now = new Date();
      const current = await SigningKey.findOne({
        where: { activatedAt: { [Op.lte]: now }, [Op.or]: [{ retiredAt: null }, { retiredAt: { [Op.gt]: now } }] },
        transaction,
      });
      if (!current) await this.insertKey(now, transaction);
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
  async rotate(now = new Date(), activationDelaySeconds = KEY_ACTIVATION_DELAY_SECONDS): Promise<{ kid: string; retired: string[]; activatesAt: Date }> {
    const activatesAt = new Date(now.getTime() + activationDelaySeconds * 1000);
    const result = await this.sequelize.transaction(async (transaction) => {
      await this.sequelize.query('SELECT pg_advisory_xact_lock(:k)', { replacements: { k: KEY_LOCK }, transaction });
      const current = await SigningKey.findAll({ where: { retiredAt: null }, transaction });
      const publishedUntil = new Date(activatesAt.getTime() + this.publishRetiredFor * 1000);
      for (const key of current) await key.update({ retiredAt: activatesAt, publishedUntil }, { transaction });
      const kid = await this.insertKey(activatesAt, transaction);
      return { kid, retired: current.map((k) => k.kid), activatesAt };
    });
    await this.refresh(now);
    return result;
  }

  /** Reloads the published keys and the signing key as of `now` (every replica converges within one interval). */
  async refresh(now = new Date()): Promise<void> {
    const keys = await SigningKey.findAll({
      where: { [Op.or]: [{ publishedUntil: null }, { publishedUntil: { [Op.gt]: now } }] },
      order: [['activatedAt', 'DESC']],
    });
    const signing = keys.find((k) => k.activatedAt.getTime() <= now.getTime());
    if (signing && signing.kid !== this.active?.kid) {
      const pem = this.box.open(signing.privateKeyCiphertext, `signing-key:${signing.kid}`);
      this.active = { kid: signing.kid, privateKey: await importPKCS8(pem, SIGNING_ALGORITHM) };
    }
    this.jwksCache = { keys: keys.map((k) => k.publicJwk as JWK) };
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

  private async insertKey(activatedAt: Date, transaction: import('sequelize').Transaction): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    const publicJwk = { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
    const sealed = this.box.seal(await exportPKCS8(privateKey), `signing-key:${kid}`);
    await SigningKey.create(
      { kid, algorithm: SIGNING_ALGORITHM, publicJwk, privateKeyCiphertext: sealed, activatedAt, retiredAt: null, publishedUntil: null },
      { transaction },
    );
    return kid;
  }
}
