import type { Schemas } from './client';

type Problem = Schemas['ProblemDetails'];

/**
 * What went wrong, in words for the person: the API's own `detail` (it is written for people),
 * or a plain sentence when the API could not be reached at all.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly problem?: Problem,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const UNREACHABLE = 'Agora can’t be reached right now. Check your connection and try again in a moment.';

/** Unwraps an openapi-fetch answer: the data, or an ApiError with the problem's words. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await call;
  } catch {
    throw new ApiError(UNREACHABLE, 0);
  }
  const { data, error, response } = answer;
  if (response.ok) return data as T;
  throw toApiError(response, error);
}

export function toApiError(response: Response, error: unknown): ApiError {
  const problem = typeof error === 'object' && error !== null && 'status' in error ? (error as Problem) : undefined;
  const retryAfter = Number(response.headers.get('Retry-After')) || undefined;
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return new ApiError(UNREACHABLE, response.status, problem, retryAfter);
  }
  const fields = problem?.errors?.map((e) => e.message).join(' ');
  const message = fields || problem?.detail || problem?.title || `The request failed (${response.status}).`;
  return new ApiError(message, response.status, problem, retryAfter);
}

export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong.';
}
