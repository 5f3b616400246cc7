/**
 * RFC 9457 problem details. `type` URIs are stable identifiers clients can switch on; `title` is the
 * same for every occurrence of a type; `detail` says what to fix, and never carries a stack trace, SQL
 * text or the caller's raw input.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_BASE = 'https://agora.dev/problems/';

export type ProblemSlug =
  | 'validation'
  | 'malformed-json'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'payload-too-large'
  | 'headers-too-large'
  | 'unsupported-media-type'
  | 'rate-limited'
  | 'service-unavailable'
  | 'bad-gateway'
  | 'internal';

const TITLES: Record<ProblemSlug, string> = {
  validation: 'Your request is not valid',
  'malformed-json': 'The request body is not valid JSON',
  unauthorized: 'Authentication required',
  forbidden: 'Not allowed',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  conflict: 'Conflict',
  'payload-too-large': 'Request body too large',
  'headers-too-large': 'Request headers too large',
  'unsupported-media-type': 'Unsupported media type',
  'rate-limited': 'Too many requests',
  'service-unavailable': 'Service unavailable',
  'bad-gateway': 'Upstream service failed',
  internal: 'Internal error',
};

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** An error that knows its problem document; anything else thrown becomes a 500 `internal`. */
export class ProblemError extends Error {
  readonly status: number;
  readonly slug: ProblemSlug;
  readonly errors?: FieldError[];
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(
    status: number,
    slug: ProblemSlug,
    detail?: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail ?? TITLES[slug]);
    this.name = 'ProblemError';
    this.status = status;
    this.slug = slug;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }

  toDocument(instance?: string): ProblemDocument {
    return {
      ...this.extensions,
      type: PROBLEM_BASE + this.slug,
      title: TITLES[this.slug],
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const problems = {
  validation: (detail: string, errors?: FieldError[]) => new ProblemError(400, 'validation', detail, { errors }),
  unauthorized: (detail = 'A valid bearer token is required.') =>
    new ProblemError(401, 'unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="agora"' } }),
  forbidden: (detail = 'You are not allowed to do this.') => new ProblemError(403, 'forbidden', detail),
  notFound: (detail = 'No such resource.') => new ProblemError(404, 'not-found', detail),
  conflict: (detail: string) => new ProblemError(409, 'conflict', detail),
  tooLarge: (limit: number) => new ProblemError(413, 'payload-too-large', `The request body exceeds the limit of ${limit} bytes.`),
  unsupportedMediaType: () => new ProblemError(415, 'unsupported-media-type', 'Send the request body as application/json.'),
  rateLimited: (retryAfterSeconds: number, detail = `Too many attempts; try again in ${retryAfterSeconds} s.`) =>
    new ProblemError(429, 'rate-limited', detail, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
      extensions: { retryAfter: retryAfterSeconds },
    }),
  unavailable: (detail = 'A dependency is unavailable; try again shortly.') =>
    new ProblemError(503, 'service-unavailable', detail, { headers: { 'Retry-After': '1' } }),
};
