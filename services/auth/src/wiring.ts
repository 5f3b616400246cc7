import { createTokenVerifier, type ServiceContext, type ServiceWiring } from '@agora/mesh';
import type { AuthConfig } from './config.js';
import { initModels } from './models/index.js';
import { Accounts } from './domain/accounts.js';
import { AuditLog } from './domain/audit.js';
import { AuthService } from './domain/auth-service.js';
import { KeyStore } from './domain/key-store.js';
import { SecretBox } from './domain/secret-box.js';
import { Sessions } from './domain/sessions.js';
import { TokenIssuer } from './domain/token-issuer.js';
import { RegisterRoutes } from './generated/routes.js';
import { loadOpenApi } from './openapi.js';
import { CLOCK_TOLERANCE_SECONDS } from '@agora/mesh';

/** What the controllers get (see ioc.ts). */
export interface AuthDeps {
  config: AuthConfig;
  auth: AuthService;
  keys: KeyStore;
  sessions: Sessions;
}

/** Builds the auth service's object graph on its database and hands mesh its routes. */
export async function wireAuth({ config, logger, sequelize }: ServiceContext<AuthConfig>): Promise<ServiceWiring> {
  initModels(sequelize);
  const box = new SecretBox(config.SIGNING_KEY_ENCRYPTION_KEY);
  const keys = new KeyStore(sequelize, box, config.ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS);
  await keys.start();
  const audit = new AuditLog(logger);
  const sessions = new Sessions(sequelize, config.REFRESH_TOKEN_TTL_SECONDS, audit);
  const issuer = new TokenIssuer(keys, config.JWT_ISSUER, config.JWT_AUDIENCE, config.ACCESS_TOKEN_TTL_SECONDS);
  const auth = new AuthService(new Accounts(), sessions, issuer, audit);
  const deps: AuthDeps = { config, auth, keys, sessions };
  return {
    registerRoutes: RegisterRoutes,
    openapi: await loadOpenApi(),
    // auth verifies its own tokens from its key store instead of fetching its own JWKS over HTTP.
    verifier: createTokenVerifier({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, jwks: keys.getKey }),
    deps,
    onClose: async () => keys.stop(),
  };
}
