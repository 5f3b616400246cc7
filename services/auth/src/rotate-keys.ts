import { createDatabase } from '@agora/mesh';
import { loadAuthConfig } from './config.js';
import { initModels } from './models/index.js';
import { KeyStore } from './domain/key-store.js';
import { SecretBox } from './domain/secret-box.js';
import { CLOCK_TOLERANCE_SECONDS } from '@agora/mesh';

/**
 * `npm run rotate-keys -w services/auth`: adds a new signing key and retires the current one. Running
 * auth replicas pick the new key up within 30 s; the retired public key stays in the JWKS until every
 * token it signed has expired (access-token life + 60 s clock skew).
 */
const config = loadAuthConfig();
const sequelize = createDatabase({ url: config.DATABASE_URL, poolMax: 2 });
try {
  initModels(sequelize);
  const keys = new KeyStore(sequelize, new SecretBox(config.SIGNING_KEY_ENCRYPTION_KEY), config.ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS);
  const { kid, retired } = await keys.rotate();
  console.log(JSON.stringify({ newKid: kid, retiredKids: retired, retiredPublishedForSeconds: config.ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS }));
} finally {
  await sequelize.close();
}
