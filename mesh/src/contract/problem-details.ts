// One declaration for every service's contract, so the merged public API holds one schema; the
// documents themselves are built by mesh/src/http/problem.ts. The JSDoc below is client-facing.

/** RFC 9457 problem details: the body of every error response (`application/problem+json`). */
export interface ProblemDetails {
  /** A stable URI clients can switch on, e.g. `https://agora.dev/problems/validation`. */
  type: string;
  /** The same for every occurrence of a type. */
  title: string;
  status: number;
  /** What to fix, in plain words. */
  detail?: string;
  /** The request id (also in the `X-Request-Id` header). */
  instance?: string;
  /** For validation problems: each field (or query parameter) that was refused, and why. */
  errors?: { field: string; message: string }[];
}

/**
 * The `Retry-After` header of a 429 answer: whole seconds to wait before trying again (HTTP's
 * delay-seconds form; header values are strings).
 * @pattern ^[1-9][0-9]*$
 * @example "42"
 */
export type RetryAfterSeconds = string;
