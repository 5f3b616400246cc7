import { access } from 'node:fs/promises';
import type { ServiceTopology } from '../topology.js';
import { say, warn } from './output.js';
import { runScript, serviceScript } from './services.js';

/**
 * The seeding hook of the local run. After every service is ready, each service that ships a
 * `services/<name>/dist/seed.js` gets it run once per start, in topology order, with the service's
 * own environment plus `AGORA_INGRESS_URL` (seeds may call other services through the ingress).
 *
 * Contract for seed scripts: idempotent (a second start finds the demo data and changes nothing),
 * exit 0 on success, non-zero with a message on failure. A failing seed is reported but does not
 * stop the local run.
 */
export interface SeedOptions {
  /** false with `--no-seed` or `AGORA_SEED=false`. */
  readonly enabled: boolean;
  readonly services: readonly ServiceTopology[];
  readonly envFor: (service: ServiceTopology) => NodeJS.ProcessEnv;
  readonly ingressUrl: string;
}

export interface SeedResult {
  readonly ran: string[];
  readonly failed: string[];
  /** Services without a seed script. */
  readonly none: string[];
  readonly skipped: boolean;
}

/** Whether seeding is on: `--no-seed` or AGORA_SEED=false|0|no|off turn it off. */
export function seedingEnabled(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): boolean {
  if (argv.includes('--no-seed')) return false;
  return !/^(false|0|no|off)$/i.test(env.AGORA_SEED ?? '');
}

export async function runSeeds(opts: SeedOptions): Promise<SeedResult> {
  const result: SeedResult = { ran: [], failed: [], none: [], skipped: !opts.enabled };
  if (!opts.enabled) {
    say('seed', 'seeding skipped (--no-seed / AGORA_SEED=false)');
    return result;
  }
  for (const service of opts.services) {
    const script = serviceScript(service.name, 'seed');
    const present = await access(script).then(
      () => true,
      () => false,
    );
    if (!present) {
      result.none.push(service.name);
      continue;
    }
    try {
      await runScript(service, 'seed', { ...opts.envFor(service), AGORA_INGRESS_URL: opts.ingressUrl });
      result.ran.push(service.name);
    } catch (err) {
      result.failed.push(service.name);
      warn('seed', (err as Error).message);
    }
  }
  say(
    'seed',
    [
      result.ran.length ? `ran: ${result.ran.join(', ')}` : 'no seed script ran',
      result.failed.length ? `failed: ${result.failed.join(', ')}` : '',
      result.none.length ? `no seed script: ${result.none.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  );
  return result;
}
