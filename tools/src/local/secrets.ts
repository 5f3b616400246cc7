import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Secrets that only exist for the local run. Generated once, kept in `.data/local-secrets.json`
 * (mode 0600, git-ignored) so that a second start can still decrypt the signing keys auth stored
 * and services keep trusting each other. Never printed.
 */
export interface LocalSecrets {
  /** base64 of 32 random bytes: encrypts auth's private signing keys at rest. */
  readonly SIGNING_KEY_ENCRYPTION_KEY: string;
  /** HMAC key for caller assertions between services (MESH_IDENTITY=local). */
  readonly MESH_LOCAL_KEY: string;
  /** Superuser password of the embedded PostgreSQL (set at initdb time). */
  readonly POSTGRES_PASSWORD: string;
  /** HMAC key of the local object store's signed URLs, shared by media and the store. */
  readonly LOCAL_STORE_SIGNING_KEY: string;
}

const generators: { [K in keyof LocalSecrets]: () => string } = {
  SIGNING_KEY_ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
  MESH_LOCAL_KEY: () => randomBytes(32).toString('base64url'),
  POSTGRES_PASSWORD: () => randomBytes(18).toString('base64url'),
  LOCAL_STORE_SIGNING_KEY: () => randomBytes(32).toString('base64url'),
};

/** Reads the secrets file, adds any missing secret, and writes it back with mode 0600. */
export async function loadLocalSecrets(file: string): Promise<LocalSecrets> {
  let stored: Partial<Record<keyof LocalSecrets, unknown>> = {};
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as typeof stored;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`cannot read ${file} (${(err as Error).message}); delete it to generate new local secrets`, { cause: err });
    }
  }
  const secrets = {} as Record<keyof LocalSecrets, string>;
  let changed = false;
  for (const key of Object.keys(generators) as (keyof LocalSecrets)[]) {
    const value = stored[key];
    if (typeof value === 'string' && value.length > 0) secrets[key] = value;
    else {
      secrets[key] = generators[key]();
      changed = true;
    }
  }
  await mkdir(path.dirname(file), { recursive: true });
  if (changed) await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secrets;
}
