import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The repository root: this file is tools/src/local/paths.ts (run by vitest/tsx) or
 * tools/dist/local/paths.js (built), three levels below the root either way.
 */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)));

/** Local state of the runner (git-ignored): PostgreSQL data, generated secrets. */
export const DATA_DIR = path.join(REPO_ROOT, '.data');
export const POSTGRES_DATA_DIR = path.join(DATA_DIR, 'postgres');
export const SECRETS_FILE = path.join(DATA_DIR, 'local-secrets.json');
/** Mail the local run "sends" (passwordless sign-in codes): one .eml file per message. */
export const MAILBOX_DIR = path.join(DATA_DIR, 'mailbox');

export function serviceDir(name: string): string {
  return path.join(REPO_ROOT, 'services', name);
}
