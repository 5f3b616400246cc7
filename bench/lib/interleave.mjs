// Interleaved A/B rounds: the bench's answer to a shared, noisy machine (docs/benchmarks.md,
// "Method"). Arms run in turn (A, B, A, B, …), so a slow moment of the machine falls on both arms
// instead of on one; every ratio is taken per round (B_i / A_i, measured seconds apart) and the
// median of those per-round ratios is the figure, printed with its spread (lowest–highest).
import { round } from './load.mjs';

/** Median of numbers (the mean of the middle two for an even count); NaN for none. */
export function median(values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** `{ median, min, max, n, values }` of a list of numbers. */
export function spread(values) {
  const v = values.filter(Number.isFinite);
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length, values: v };
}

/** "0.62 (0.55–0.66, 5 rounds)": a median with its spread, `digits` after the point. */
export function fmtSpread(s, digits = 2, unit = '') {
  return `${round(s.median, digits)}${unit} (${round(s.min, digits)}–${round(s.max, digits)}${unit}, ${s.n} rounds)`;
}

/**
 * Runs `rounds` rounds; in each, every arm of `arms` (an object of name → async (round) => result)
 * once, in the object's order, except that the order alternates each round (A,B then B,A) so that
 * neither arm always follows the other. Returns `{ [arm]: result[] }`, index = round.
 */
export async function interleave(rounds, arms, { log = () => {} } = {}) {
  const names = Object.keys(arms);
  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < rounds; i += 1) {
    const order = i % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      results[name][i] = await arms[name](i);
    }
    log(`round ${i + 1}/${rounds} done`);
  }
  return results;
}

/** Per-round ratios `pick(b_i) / pick(a_i)` of two arms' results, summarised. */
export function ratioSpread(a, b, pick) {
  return spread(a.map((x, i) => pick(b[i]) / pick(x)));
}
