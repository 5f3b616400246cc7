/**
 * Runs `attempt` until it succeeds, retrying only the failures `retryable` accepts, with exponential
 * backoff, and gives up when the next try would start after the deadline. Written for the migrate
 * entry point: in a fresh cluster the init container starts while PostgreSQL (or the pod's sidecar,
 * or the Service's DNS name) is not ready yet, and exiting on the first refused connection makes the
 * deploy fail instead of waiting a few seconds.
 */
export interface RetryUntilDeadlineOptions {
  /** Total time allowed, from the first try, in milliseconds. */
  readonly deadlineMs: number;
  /** Wait after the first failure; doubled after each further one. Default 250 ms. */
  readonly initialDelayMs?: number;
  /** Longest wait between two tries. Default 5 s. */
  readonly maxDelayMs?: number;
  readonly retryable: (err: unknown) => boolean;
  /** Called before each wait (e.g. to log one line per retry). */
  readonly onRetry?: (err: unknown, failures: number, delayMs: number) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class DeadlineExceededError extends Error {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`gave up after ${attempts} attempts: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
    this.name = 'DeadlineExceededError';
  }
}

export async function retryUntilDeadline<T>(attempt: () => Promise<T>, opts: RetryUntilDeadlineOptions): Promise<T> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const initial = opts.initialDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 5_000;
  const deadline = now() + opts.deadlineMs;
  for (let failures = 0; ;) {
    try {
      return await attempt();
    } catch (err) {
      if (!opts.retryable(err)) throw err;
      failures += 1;
      const delay = Math.min(max, initial * 2 ** (failures - 1));
      if (now() + delay > deadline) throw new DeadlineExceededError(failures, err);
      opts.onRetry?.(err, failures, delay);
      await sleep(delay);
    }
  }
}
