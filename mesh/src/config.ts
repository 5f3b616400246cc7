import * as z from 'zod';
import { eventsConfigShape } from './events/config.js';

/**
 * 12-factor configuration: every setting comes from the environment and is validated once at
 * start-up, so a missing or malformed variable stops the process with its name in the message
 * instead of failing later in a request.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const commaList = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** Settings every service shares. */
export const baseConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080), // 0: any free port (tests)
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .url()
    .refine((u) => /^postgres(ql)?:/.test(u), 'must be a postgres:// URL'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1).default('agora-api'),
  JWKS_URL: z.string().url(),
  CORS_ORIGINS: commaList.default([]),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MESH_IDENTITY: z.enum(['istio', 'local']).default('istio'),
  MESH_LOCAL_KEY: z.string().min(32).optional(),
  /** The ingress gateway's SPIFFE id: only requests from it may say who the client is (mesh/src/http/client-address.ts). */
  INGRESS_PRINCIPAL: z.string().min(1).default('spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'),
  /** X-Forwarded-For entries at the end appended by trusted proxies: 1 = the ingress alone. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(5).default(1),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(102_400),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(25_000),
  /** Time to keep serving after SIGTERM while endpoints are withdrawn (Kubernetes); 0 locally. */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /**
   * auth's access-token life. Every service needs it: a revocation is kept until the last token it
   * can refuse has expired (mesh/src/auth/revocation-events.ts). Set it alike everywhere, or not at all.
   */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  /** Revocations one replica holds in memory; past it, older tokens are refused (mesh/src/auth/revocation-set.ts). */
  REVOCATIONS_MAX_ENTRIES: z.coerce.number().int().min(1000).max(10_000_000).default(100_000),
  /** How often each replica reads new revocations from its database (ms): the delay before one takes effect. */
  REVOCATIONS_REFRESH_MS: z.coerce.number().int().min(100).max(5_000).default(1_000),
  /**
   * After this long with no request (ms), malloc's free memory goes back to the kernel
   * (mesh/src/memory/release-when-idle.ts); 0: never.
   */
  MEMORY_RELEASE_IDLE_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  ...eventsConfigShape,
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/**
 * Parses `env` with `schema` and throws a ConfigError that names each offending variable.
 * Cross-field rules live here too: local mesh identity needs its key.
 */
export function loadConfig<S extends z.ZodType<BaseConfig>>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const config = result.data as BaseConfig;
  if (config.MESH_IDENTITY === 'local' && !config.MESH_LOCAL_KEY) {
    throw new ConfigError(['MESH_LOCAL_KEY: required when MESH_IDENTITY=local (at least 32 characters)']);
  }
  return result.data;
}
