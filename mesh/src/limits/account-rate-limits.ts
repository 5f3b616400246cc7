import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../db/database.js';
import { problems } from '../http/problem.js';
import type { ServiceMetrics } from '../observability/metrics.js';
import { LIMITED_ACTIONS, type LimitedAction } from './actions.js';
import type { Budget } from './budgets.js';

interface Window {
  readonly budget: Budget;
  readonly limiter: RateLimiterPostgres;
}

/**
 * How often one account may post, comment, like, follow or upload: a rate-limiter-flexible limiter
 * per action and window, keyed by the caller's user id, held in the service's PostgreSQL so every
 * replica counts against the same numbers.
 *
 * `consume` is called before the write: it takes one point from every window of the action (one
 * atomic upsert each, in the library), and if any window is over its budget it gives every point
 * back and refuses with 429 + Retry-After. Of N concurrent requests exactly the budget pass, because
 * a refused request only ever returns the point it took itself.
 */
export class AccountRateLimits<A extends LimitedAction> {
  private readonly windows: Map<A, Window[]>;
  private readonly refusals: { inc(action: A): void };

  constructor(db: Database, budgets: Readonly<Record<A, readonly Budget[]>>, metrics: ServiceMetrics) {
    const actions = Object.keys(budgets) as A[];
    let limiters = 0;
    this.windows = new Map(
      actions.map((action) => [
        action,
        budgets[action].map((budget) => ({
          budget,
          limiter: new RateLimiterPostgres({
            // The library's sweep of expired rows deletes across the whole table: one limiter per
            // process runs it, not every one.
            clearExpiredByTimeout: limiters++ === 0,
            // The service's pg pool (the library's supported 'pool' store); the table is a migration's.
            storeClient: db.pool,
            storeType: 'pool',
            tableName: 'account_rate_limits',
            tableCreated: true,
            keyPrefix: `${action}_${budget.seconds}s`,
            points: budget.points,
            duration: budget.seconds,
          }),
        })),
      ]),
    );
    this.refusals = metrics.counter({
      name: 'agora_rate_limited_total',
      help: 'Requests refused because the account had used up its budget for the action.',
      label: 'action',
      values: actions,
    });
  }

  /** Takes one `action` from `userId`'s budget, or throws 429 (problem+json, Retry-After) and takes nothing. */
  async consume(action: A, userId: string): Promise<void> {
    const windows = this.windows.get(action);
    if (!windows) throw new Error(`no budget for ${action}`);
    const taken = await Promise.all(windows.map((w) => takePoint(w.limiter, userId)));
    const over = windows.map((w, i) => ({ budget: w.budget, res: taken[i]! })).filter((x) => x.res.consumedPoints > x.budget.points);
    if (over.length === 0) return;
    // Refused: nothing is written, so the attempt costs nothing in any window.
    await Promise.all(windows.map((w) => w.limiter.reward(userId, 1)));
    this.refusals.inc(action);
    const longest = over.reduce((a, b) => (b.res.msBeforeNext > a.res.msBeforeNext ? b : a));
    const seconds = Math.max(1, Math.ceil(longest.res.msBeforeNext / 1000));
    const { noun } = LIMITED_ACTIONS[action];
    throw problems.rateLimited(
      seconds,
      `You have reached the limit of ${longest.budget.points} ${noun} per ${describe(longest.budget.seconds)}; try again in ${seconds} s.`,
    );
  }
}

/**
 * One point taken whatever the outcome: the library rejects with the RateLimiterRes once over its
 * points, which here is an answer to read (`remainingPoints`, `msBeforeNext`), not an error.
 */
export async function takePoint(limiter: RateLimiterPostgres, key: string): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) return err;
    throw err;
  }
}

function describe(seconds: number): string {
  for (const [unit, length] of [
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ] as const) {
    if (seconds === length) return unit;
    if (seconds % length === 0) return `${seconds / length} ${unit}s`;
  }
  return seconds === 1 ? 'second' : `${seconds} seconds`;
}
