import * as z from 'zod';
import { baseConfigSchema, ConfigError, loadConfig } from '@agora/mesh';

export const authConfigSchema = baseConfigSchema.extend({
  /** base64 of 32 random bytes; encrypts private signing keys (and TOTP secrets) at rest. */
  SIGNING_KEY_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be base64 of exactly 32 bytes (openssl rand -base64 32)'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(3600).max(7_776_000).default(2_592_000),
  // Rate limits, shared by every replica through PostgreSQL. Defaults are the product's policy.
  RATE_LIMIT_LOGIN_PER_ACCOUNT: z.coerce.number().int().min(1).default(5), // failed attempts / 15 min
  // More generous than per account, so one address locking one account out leaves the others behind it alone.
  RATE_LIMIT_LOGIN_PER_IP: z.coerce.number().int().min(1).default(20), // failed attempts / 15 min
  // Stuffing from many addresses: past this many failures (all accounts, all addresses) in 15 min,
  // each address is held to RATE_LIMIT_LOGIN_PER_IP_UNDER_ATTACK (SECURITY.md).
  RATE_LIMIT_LOGIN_GLOBAL: z.coerce.number().int().min(1).default(500), // failed attempts / 15 min
  RATE_LIMIT_LOGIN_PER_IP_UNDER_ATTACK: z.coerce.number().int().min(1).default(3), // failed attempts / 15 min
  RATE_LIMIT_SIGNUP_PER_IP: z.coerce.number().int().min(1).default(3), // per hour
  RATE_LIMIT_CODE_PER_EMAIL: z.coerce.number().int().min(1).default(3), // per 15 min
  RATE_LIMIT_CODE_PER_IP: z.coerce.number().int().min(1).default(10), // per hour
  // Mail: SMTP in the cluster, a folder of .eml files in the local run.
  MAIL_TRANSPORT: z.enum(['smtp', 'mailbox']).default('mailbox'),
  SMTP_URL: z.string().url().optional(),
  MAILBOX_DIR: z.string().default('.data/mailbox'),
  MAIL_FROM: z.string().default('Agora <no-reply@agora.dev>'),
  // The web app's origin, for the links in password-reset and verification mails.
  APP_URL: z.string().url().default('http://localhost:8080'),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const config = loadConfig(authConfigSchema, env);
  if (config.MAIL_TRANSPORT === 'smtp' && !config.SMTP_URL) {
    throw new ConfigError(['SMTP_URL: required when MAIL_TRANSPORT=smtp (smtp://user:pass@host:587)']);
  }
  return config;
}
