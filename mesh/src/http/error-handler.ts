import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { isConnectionFailure } from '../db/connection-failure.js';
import { DatabaseUnavailableError, isServerError } from '../db/database.js';
import { PROBLEM_CONTENT_TYPE, ProblemError, problems, type FieldError } from './problem.js';
import { plainValidationMessage } from './validation-messages.js';

/**
 * Turns every error into a problem+json response. tsoa's Koa routes rethrow validation failures
 * through `ctx.throw`, which wraps them in an http-errors object, so `instanceof ValidateError` fails:
 * we recognise them by name and `fields`. tsoa's field values are the caller's raw input and are
 * dropped; only the field path and the rule it broke are returned.
 */
export function errorHandler(logger: Logger, bodyLimit: number) {
  return async function problemErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw problems.notFound(`No route for ${ctx.method} on this path.`);
      if (ctx.status === 405 && (ctx.body === undefined || ctx.body === 'Method Not Allowed')) {
        throw new ProblemError(405, 'method-not-allowed', `${ctx.method} is not allowed on this path.`);
      }
    } catch (err) {
      const problem = toProblem(err, bodyLimit);
      if (problem.status >= 500) logger.error({ err: scrub(err), status: problem.status }, 'request failed');
      ctx.status = problem.status;
      ctx.set(problem.headers);
      ctx.body = problem.toDocument(ctx.state.requestId as string | undefined);
      ctx.type = PROBLEM_CONTENT_TYPE; // after the body: Koa resets the type to JSON for object bodies
    }
  };
}

interface HttpLikeError {
  name?: string;
  status?: number;
  statusCode?: number;
  type?: string;
  fields?: Record<string, { message?: string }>;
  problem?: ProblemError;
  expose?: boolean;
  message?: string;
}

export function toProblem(err: unknown, bodyLimit: number): ProblemError {
  if (err instanceof ProblemError) return err;
  const e = (err ?? {}) as HttpLikeError;
  // Our authentication module throws ProblemErrors; ctx.throw copies them onto an HttpError.
  if (e.problem instanceof ProblemError) return e.problem;
  if (e.name === 'ValidateError' || (e.fields && typeof e.fields === 'object')) {
    return problems.validation('One or more fields are invalid.', fieldErrors(e.fields ?? {}));
  }
  if (err instanceof DatabaseUnavailableError && err.busy) {
    return problems.unavailable('The service is busy: no database connection was free in time; try again shortly.');
  }
  if (err instanceof DatabaseUnavailableError || (isServerError(err) && isConnectionFailure(err)) || isBrokenConnection(err)) {
    return problems.unavailable('The database is unavailable; try again shortly.');
  }
  // A value PostgreSQL's text cannot hold (22021: e.g. U+0000; 22P05: an untranslatable character)
  // is the request's fault wherever it came from; bodies are checked earlier (json-body-limits.ts),
  // this covers path and query values.
  if (isServerError(err) && (err.code === '22021' || err.code === '22P05')) {
    return problems.validation('A value contains a character that cannot be stored (such as U+0000); remove it.', [
      { field: 'request', message: 'unstorable character' },
    ]);
  }
  const status = e.status ?? e.statusCode;
  if (e.type === 'entity.too.large' || status === 413) return problems.tooLarge(bodyLimit);
  // co-body reports unparsable JSON as a SyntaxError with status 400 (and the raw body attached,
  // which is never echoed).
  if (e.type === 'entity.parse.failed' || (e.name === 'SyntaxError' && status === 400))
    return new ProblemError(400, 'malformed-json', 'The request body could not be parsed as JSON.');
  if (status === 415) return problems.unsupportedMediaType();
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const slug = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not-found' : 'validation';
    return new ProblemError(status, slug, 'The request could not be processed.');
  }
  return new ProblemError(500, 'internal', 'An unexpected error occurred; it has been logged.');
}

function fieldErrors(fields: Record<string, { message?: string }>): FieldError[] {
  return Object.entries(fields).map(([field, info]) => ({
    field: field.replace(/^(body|requestBody)\.?/, '') || 'body',
    message: plainValidationMessage(String(info?.message ?? 'invalid')),
  }));
}

/**
 * pg's own errors for a connection that died under a statement (the socket closed, reset or refused):
 * plain Errors, recognised by their code or message only.
 */
function isBrokenConnection(err: unknown): boolean {
  if (!(err instanceof Error) || isServerError(err)) return false;
  const e = err as Error & { code?: unknown };
  return isConnectionFailure({ code: typeof e.code === 'string' ? e.code : undefined, message: e.message });
}

/** Error fields worth logging: never the SQL parameters or the request that caused it. */
function scrub(err: unknown): Record<string, unknown> {
  const e = (err ?? {}) as { name?: string; message?: string; stack?: string; code?: string };
  return { type: e.name, message: e.message, stack: e.stack, code: e.code };
}
