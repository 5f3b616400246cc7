import type { ServiceTopology } from '@agora/mesh/topology';
import { seedDemoData } from '../seed/demo-seed.js';
import { say, warn } from './output.js';
import { runScript } from './services.js';

/**
 * The seeding step of the local run: after every service is ready, the demo data
 * (tools/src/seed/demo-seed.ts) is made through the ingress, and the demo admin gets its role from
 * auth's operator command `grant-role`, run with auth's own environment. A failing seed is reported
 * but does not stop the local run.
 */
export interface SeedOptions {
  /** false with `--no-seed` or `AGORA_SEED=false`. */
  readonly enabled: boolean;
  readonly auth: ServiceTopology;
  readonly authEnv: NodeJS.ProcessEnv;
  readonly ingressUrl: string;
}

export type SeedResult = 'skipped' | 'done' | 'failed';

/** Whether seeding is on: `--no-seed` or AGORA_SEED=false|0|no|off turn it off. */
export function seedingEnabled(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): boolean {
  if (argv.includes('--no-seed')) return false;
  return !/^(false|0|no|off)$/i.test(env.AGORA_SEED ?? '');
}

export async function runSeeds(opts: SeedOptions): Promise<SeedResult> {
  if (!opts.enabled) {
    say('seed', 'seeding skipped (--no-seed / AGORA_SEED=false)');
    return 'skipped';
  }
  try {
    await seedDemoData({
      ingressUrl: opts.ingressUrl,
      grantAdmin: (username) => runScript(opts.auth, 'grant-role', opts.authEnv, [username, 'admin']),
      verifyEmails: (usernames) => runScript(opts.auth, 'verify-email', opts.authEnv, usernames),
      log: (line) => say('seed', line),
    });
    return 'done';
  } catch (err) {
    warn('seed', (err as Error).message);
    return 'failed';
  }
}
