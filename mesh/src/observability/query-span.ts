import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import { sanitisedStatementAttributes } from './sql-sanitiser.js';

/**
 * The CLIENT spans of PostgreSQL statements, started by mesh's pg client (db/traced-client.ts) and
 * pool (db/database.ts) rather than by @opentelemetry/instrumentation-pg: that instrumentation
 * patches pg as `require` loads it, which kept pg out of the service bundles and made every start
 * load require-in-the-middle and the instrumentation packages (docs/benchmarks.md, "Round 8:
 * pgspans"). The spans keep the instrumentation's shape, so traces and dashboards read the same:
 *   name        `pg.query:<COMMAND> <database>` (the prepared statement's name instead of the
 *               command when it has one), `pg-pool.connect` for the wait for a pooled connection
 *   attributes  db.system.name, db.namespace, server.address, server.port; the statement only
 *               sanitised (sql-sanitiser.ts), under db.query.text and db.statement; bound values never
 *   errors      an exception event and an ERROR status that name the error's type and SQLSTATE
 *               only, plus error.type: a server message can quote the value it refused
 *               (`invalid input syntax for type uuid: "…"`), which may be user input
 *   when        only inside a traced request (a parent span is active), as requireParentSpan did: the
 *               readiness probe's SELECT 1 and background jobs make none
 */

/** The instrumentation scope of the query spans (OTLP's scope name). */
export const QUERY_SPAN_SCOPE = '@agora/mesh/pg';

/** Where statements go: the connection's database, host and port. */
export interface QueryTarget {
  database?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
}

/** The connection attributes of every span on `target`, built once per connection or pool. */
export function connectionAttributes(target: QueryTarget): Attributes {
  const attributes: Attributes = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL };
  if (target.database) attributes[ATTR_DB_NAMESPACE] = target.database;
  if (target.host) attributes[ATTR_SERVER_ADDRESS] = target.host;
  if (Number.isInteger(target.port)) attributes[ATTR_SERVER_PORT] = target.port;
  return attributes;
}

/** Whether a span would be started now: only under a request's span (sampled or not). */
export function insideTracedRequest(): boolean {
  return trace.getSpan(context.active()) !== undefined;
}

/**
 * Starts the span of one statement. Called only inside a traced request (its caller, traced-client.ts,
 * asks insideTracedRequest() first, before it looks at the statement). The statement is sanitised
 * only when the span records (a sampled-out request's span keeps no attributes).
 */
export function startQuerySpan(database: string | undefined, connection: Attributes, text: string, preparedName?: string): Span {
  const command = preparedName || commandOf(text);
  const span = trace.getTracer(QUERY_SPAN_SCOPE).startSpan(`pg.query:${command}${database ? ` ${database}` : ''}`, {
    kind: SpanKind.CLIENT,
    attributes: connection,
  });
  if (span.isRecording()) span.setAttributes(sanitisedStatementAttributes(text));
  return span;
}

/** Starts the span of the wait for a pooled connection, or returns undefined outside a traced request. */
export function startPoolConnectSpan(connection: Attributes): Span | undefined {
  if (!insideTracedRequest()) return undefined;
  return trace.getTracer(QUERY_SPAN_SCOPE).startSpan('pg-pool.connect', { kind: SpanKind.CLIENT, attributes: connection });
}

/** Ends a span started here; with `err`, marks it failed without the error's message. */
export function endDatabaseSpan(span: Span | undefined, err?: unknown): void {
  if (!span) return;
  if (err !== undefined) {
    const { name, code } = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; code?: unknown };
    const type = typeof code === 'string' && code ? code : typeof name === 'string' && name ? name : 'Error';
    const message = `PostgreSQL error of type '${typeof name === 'string' ? name : 'Error'}' occurred (code: ${typeof code === 'string' ? code : 'UNKNOWN'})`;
    span.setAttribute(ATTR_ERROR_TYPE, type);
    span.recordException(message);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
  span.end();
}

/** The statement's leading keyword, upper-cased, as the instrumentation named its spans (`COMMIT;` → COMMIT). */
export function commandOf(text: string): string {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  const first = (space === -1 ? trimmed : trimmed.slice(0, space)).toUpperCase();
  return first.endsWith(';') ? first.slice(0, -1) : first;
}
