import { createDatabase } from '@agora/mesh';
import { loadAuthConfig } from './config.js';
import { KeyStore } from './domain/key-store.js';
import { SecretBox } from './domain/secret-box.js';
import { CLOCK_TOLERANCE_SECONDS } from '@agora/mesh';

/**
 * `npm run rotate-keys -w services/auth [-- --activate-in SECONDS]`: adds a new signing key, published
 * at once and used for signing after SECONDS (default 60, so every verifier can fetch it first); the
 * current key stops signing then and stays in the JWKS until every token it signed has expired
 * (access-token life + 60 s clock skew). Running auth replicas pick the change up within 30 s.
 */
const flag = process.argv.indexOf('--activate-in');
const activateIn = flag > 0 ? Number(process.argv[flag + 1]) : 60;
if (!Number.isInteger(activateIn) || activateIn < 0) {
  console.error('rotate-keys: --activate-in takes a whole number of seconds (default 60)');
  process.exit(64);
}
const config = loadAuthConfig();
const db = createDatabase({ url: config.DATABASE_URL, poolMax: 2 });
try {
  const keys = new KeyStore(db, new SecretBox(config.SIGNING_KEY_ENCRYPTION_KEY), config.ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS);
  const { kid, retired, activatesAt } = await keys.rotate(new Date(), activateIn);
  console.log(JSON.stringify({ newKid: kid, activatesAt, retiredKids: retired, retiredPublishedForSeconds: config.ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS }));
} finally {
  await db.close();
}
