import { randomBytes } from 'node:crypto';
import { JWT_AUDIENCE, SERVICES, type ServiceName } from '@agora/mesh/topology';

/**
 * The one place that says how a service process is configured outside the cluster: the local run
 * (`npm start`), the test stack (test/helpers/stack.ts) and the bench (bench/lib/stack.mjs) all build
 * each service's environment here, so the three cannot drift (docs/conventions.md, "Configuration").
 */
export interface ServiceAddresses {
  /** Where each service listens on loopback. */
  readonly ports: Readonly<Record<ServiceName, number>>;
  /** The ingress as clients reach it; it is also the tokens' issuer. */
  readonly ingressUrl: string;
  /** The local object store: as browsers reach it (through the ingress) and as media reaches it. */
  readonly objectStore: { readonly publicUrl: string; readonly internalUrl: string };
}

/** The secrets a platform outside the cluster shares between its processes. */
export interface PlatformSecrets {
  /** base64 32-byte key that encrypts auth's private signing keys at rest. */
  readonly SIGNING_KEY_ENCRYPTION_KEY: string;
  /** HMAC key for caller assertions between services (MESH_IDENTITY=local). */
  readonly MESH_LOCAL_KEY: string;
  /** HMAC key media signs local object-store URLs with. */
  readonly LOCAL_STORE_SIGNING_KEY: string;
}

export function newPlatformSecrets(): PlatformSecrets {
  return {
    SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    MESH_LOCAL_KEY: randomBytes(32).toString('base64url'),
    LOCAL_STORE_SIGNING_KEY: randomBytes(32).toString('base64url'),
  };
}

export interface ServiceEnvContext {
  readonly addresses: ServiceAddresses;
  readonly secrets: PlatformSecrets;
  readonly databaseUrl: string;
  /** Where auth writes the mail it sends (one .eml file per message). */
  readonly mailboxDir: string;
  readonly logLevel: string;
  /** Variables passed through from the caller's environment (OTEL_*, CORS_ORIGINS, …). */
  readonly passThrough?: NodeJS.ProcessEnv;
  /** Last word for this service: test or bench settings (e.g. raised rate limits). */
  readonly overrides?: Readonly<Record<string, string>>;
}

/**
 * What each service needs beyond the common settings. A Record over ServiceName: a new service in
 * the topology does not compile until it says here what it needs (possibly nothing).
 */
const SERVICE_SPECIFIC: Record<ServiceName, (ctx: ServiceEnvContext) => Record<string, string>> = {
  auth: (ctx) => ({
    SIGNING_KEY_ENCRYPTION_KEY: ctx.secrets.SIGNING_KEY_ENCRYPTION_KEY,
    MAIL_TRANSPORT: 'mailbox',
    MAILBOX_DIR: ctx.mailboxDir,
  }),
  users: () => ({}),
  posts: () => ({}),
  media: (ctx) => ({
    MEDIA_STORE: 'local',
    LOCAL_STORE_URL: ctx.addresses.objectStore.publicUrl,
    LOCAL_STORE_INTERNAL_URL: ctx.addresses.objectStore.internalUrl,
    LOCAL_STORE_SIGNING_KEY: ctx.secrets.LOCAL_STORE_SIGNING_KEY,
  }),
  notifications: () => ({}),
};

/** Variables of a caller that never reach a service: they name the caller's own things. */
const CALLER_ONLY = /^(AGORA_|TEST_|npm_|SERVICE_URL_)|^(DATABASE_URL|PORT|HOST|SIGNING_KEY_ENCRYPTION_KEY|LOCAL_STORE_SIGNING_KEY|MESH_LOCAL_KEY)$/;

/**
 * V8 flags every service process runs with, here and in the images: young-generation semi-spaces of
 * at most 4 MiB instead of V8's default for the machine, which it grows to under load and keeps
 * (why 4 and not 1, 2 or 8: docs/benchmarks.md, row 5); and an old generation that may grow to 1.2×
 * its live set before the next full GC instead of V8's dynamic factor of up to 4×, which after a
 * burst left posts holding three to four times its live set as garbage (no leak: its live set after a
 * full GC stays flat round over round; docs/benchmarks.md, "Row 5's RSS: garbage, not a leak"); and
 * every full GC compacting the old generation, so the pages a burst left sparsely filled are emptied
 * and given back instead of staying committed (docs/benchmarks.md, "Round 9").
 * Flags that Node refuses in NODE_OPTIONS go on the images' command line instead (Dockerfile CMD).
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=20', '--compact-on-every-full-gc'] as const;

/**
 * glibc malloc settings every service process runs with, here and in the images. Blocks of 64 KiB and
 * more get their own mmap and go back to the kernel when freed, instead of being carved from an arena
 * that can return only its top, not the holes they leave (they are rare enough per request that the
 * extra system calls do not show); and one arena for every thread, because a second one, used by V8's
 * and libuv's threads, kept what it grew to after a burst. What each bought and cost:
 * docs/benchmarks.md, "Round 8: rss".
 */
export const SERVICE_PROCESS_ENV = { MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_ARENA_MAX: '1' } as const;

export function serviceEnv(name: ServiceName, ctx: ServiceEnvContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(ctx.passThrough ?? {})) if (value !== undefined && !CALLER_ONLY.test(key)) env[key] = value;
  Object.assign(env, {
    NODE_ENV: env.NODE_ENV ?? 'development',
    HOST: '127.0.0.1',
    PORT: String(ctx.addresses.ports[name]),
    DATABASE_URL: ctx.databaseUrl,
    JWT_ISSUER: ctx.addresses.ingressUrl,
    JWT_AUDIENCE,
    JWKS_URL: `http://127.0.0.1:${ctx.addresses.ports.auth}/.well-known/jwks.json`,
    CORS_ORIGINS: env.CORS_ORIGINS ?? 'http://localhost:5173,http://localhost:3000',
    LOG_LEVEL: ctx.logLevel,
    MESH_IDENTITY: 'local',
    MESH_LOCAL_KEY: ctx.secrets.MESH_LOCAL_KEY,
    SHUTDOWN_DELAY_MS: '0',
    // Below the runners' 10 s SIGKILL deadline, so a service always finishes its own drain.
    SHUTDOWN_TIMEOUT_MS: env.SHUTDOWN_TIMEOUT_MS ?? '8000',
    // Traces (when OTEL_EXPORTER_OTLP_ENDPOINT is set) are named after the service, as in the cluster.
    OTEL_SERVICE_NAME: name,
    ...SERVICE_PROCESS_ENV,
    ...Object.fromEntries(SERVICES.map((s) => [`SERVICE_URL_${s.name.toUpperCase()}`, `http://127.0.0.1:${ctx.addresses.ports[s.name]}`])),
    ...SERVICE_SPECIFIC[name](ctx),
    ...(ctx.overrides ?? {}),
  });
  return env;
}
