import { createDatabase } from '@agora/mesh';
import { loadAuthConfig } from './config.js';
import { KeyStore } from './domain/key-store.js';
import { SecretBox } from './domain/secret-box.js';
import { CLOCK_TOLERANCE_SECONDS } from '@agora/mesh';
import { ENVOY_JWKS_CACHE_SECONDS, KEY_ACTIVATION_DELAY_SECONDS } from './key-activation.js';

/**
 * `npm run rotate-keys -w services/auth [-- --activate-in SECONDS]`: adds a new signing key, published
 * at once and used for signing after SECONDS (default KEY_ACTIVATION_DELAY_SECONDS, 6 min: longer than
 * Envoy keeps a JWKS, see key-activation.ts, so every verifier has fetched it first); the
 * current key stops signing then and stays in the JWKS until every token it signed has expired
 * (access-token life + 60 s clock skew). Running auth replicas pick the change up within 30 s.
 * A delay shorter than Envoy's JWKS cache is refused: the gateway would answer 401 to new tokens.
 */
const flag = process.argv.indexOf('--activate-in');
const activateIn = flag > 0 ? Number(process.argv[flag + 1]) : KEY_ACTIVATION_DELAY_SECONDS;
if (!Number.isInteger(activateIn) || activateIn <= ENVOY_JWKS_CACHE_SECONDS) {
  console.error(
    `rotate-keys: --activate-in takes a whole number of seconds greater than ${ENVOY_JWKS_CACHE_SECONDS} (Envoy's JWKS cache; default ${KEY_ACTIVATION_DELAY_SECONDS})`,
  );
  process.exit(64);
}
const config = loadAuthConfig();
const db = createDatabase({ url: config.DATABASE_URL, poolMax: 2 });
try {
  const keys = new KeyStore(db, new SecretBox(config.SIGNING_KEY_ENCRYPTION_KEY), config.ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS);
  const { kid, retired, activatesAt } = await keys.rotate(new Date(), activateIn);
  console.log(
    JSON.stringify({
      newKid: kid,
      activatesAt,
      retiredKids: retired,
      retiredPublishedForSeconds: config.ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS,
    }),
  );
} finally {
  await db.close();
}
