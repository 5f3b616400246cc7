// The machine's speed at a moment of the run: argon2id's own time per hash (OWASP's minimum,
// m=19 MiB t=2 p=1, the parameters auth uses), median of a few. It is pure CPU and memory work
// that no change to Agora touches, so when it moves between runs the machine moved, not the code
// (docs/benchmarks.md, "Method").
import { createRequire } from 'node:module';
import path from 'node:path';
import { round } from './load.mjs';
import { ROOT } from './procs.mjs';
import { median } from './interleave.mjs';

const { hash } = createRequire(path.join(ROOT, 'services/auth/package.json'))('@node-rs/argon2');
const OWASP_MINIMUM = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Median ms per argon2id hash over `n` hashes, after one warm-up. */
export async function argon2Reference(n = 5) {
  await hash('warm-up password', OWASP_MINIMUM);
  const times = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    await hash(`reference password ${i}`, OWASP_MINIMUM);
    times.push(performance.now() - t0);
  }
  return round(median(times), 2);
}
