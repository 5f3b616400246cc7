// Load through autocannon. Latency percentiles are computed from autocannon's per-response
// durations (process.hrtime, fractional ms) because its own histogram rounds to whole ms, which is
// too coarse for sub-millisecond loopback requests.
import autocannon from 'autocannon';
import { cpuSecondsOf } from './procs.mjs';

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/**
 * Runs autocannon against `url` and returns throughput, latency percentiles (ms), error counts and,
 * for each pid in `cpuPids`, the CPU seconds it used during the run and per request (µs).
 * `requests` / `headers` / `setupClient` are passed to autocannon as they are.
 */
export async function load({ url, connections = 16, duration = 10, warmup = 0, cpuPids = {}, ...rest }) {
  if (warmup > 0) await autocannon({ url, connections, duration: warmup, ...rest });
  const before = Object.fromEntries(await Promise.all(Object.entries(cpuPids).map(async ([k, pid]) => [k, await cpuSecondsOf(pid)])));
  const latencies = [];
  const statuses = new Map();
  const instance = autocannon({ url, connections, duration, ...rest });
  instance.on('response', (_client, status, _bytes, ms) => {
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  const after = Object.fromEntries(await Promise.all(Object.entries(cpuPids).map(async ([k, pid]) => [k, await cpuSecondsOf(pid)])));
  const ok2xx = result['2xx'];
  const sorted = Float64Array.from(latencies).sort();
  const cpu = {};
  for (const k of Object.keys(cpuPids)) {
    const seconds = after[k] - before[k];
    cpu[k] = { seconds: round(seconds, 2), usPerRequest: round((seconds * 1e6) / Math.max(1, result.requests.total), 1) };
  }
  return {
    rps: round(ok2xx / result.duration, 0),
    requests: result.requests.total,
    ok: ok2xx,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statuses: Object.fromEntries(statuses),
    p50: round(percentile(sorted, 50), 3),
    p90: round(percentile(sorted, 90), 3),
    p99: round(percentile(sorted, 99), 3),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length), 3),
    durationS: result.duration,
    connections,
    cpu,
  };
}

/** Sign-ins of one account (argon2id on libuv's pool) on 2 connections: the memory rows' auth load. */
export function signInLoad(url, account, duration) {
  const body = JSON.stringify({ login: account.username, password: account.password });
  return load({
    url,
    connections: 2,
    duration,
    requests: [{ method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, body }],
  });
}

export function round(x, digits = 2) {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Throws unless (almost) every response was a 2xx: a bench of error answers measures nothing. */
export function assertHealthy(name, r, maxBadShare = 0.001) {
  const bad = r.non2xx + r.errors;
  if (r.ok === 0 || bad / Math.max(1, r.requests) > maxBadShare) {
    throw new Error(`${name}: ${r.ok} ok, ${r.non2xx} non-2xx, ${r.errors} errors (statuses ${JSON.stringify(r.statuses)})`);
  }
  return r;
}
