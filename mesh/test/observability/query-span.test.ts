/**
 * The query spans mesh records itself (observability/query-span.ts, db/traced-client.ts), on a real
 * PostgreSQL with the SDK started in this process and an in-memory exporter: one CLIENT span per
 * statement under the request's span, named and attributed as @opentelemetry/instrumentation-pg
 * named them, the statement sanitised and no bound value anywhere, failures marked without the
 * server's message, nothing outside a traced request or under an unsampled one, and the
 * statements a library sends through the pool itself (rate-limiter-flexible) traced too.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { context, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { createDatabase, type Database } from '../../src/db/database.js';
import { startTracing, shutdownTracing } from '../../src/observability/tracing.js';
import { QUERY_SPAN_SCOPE } from '../../src/observability/query-span.js';
import { SQL_SANITISED_ATTRIBUTE } from '../../src/observability/sql-sanitiser.js';
import { freshDatabase } from '../../../test/helpers/db.js';

const exporter = new InMemorySpanExporter();
let db: Database;
let target: { database: string; host: string; port: number };
const SECRET = 'ann.secret@example.com';

/** Runs `work` inside a sampled request span; returns the spans exported under it (that span excluded). */
async function inRequest(work: () => Promise<unknown>): Promise<{ request: ReadableSpan; children: ReadableSpan[] }> {
  const tracer = trace.getTracer('test');
  let requestId = '';
  await tracer.startActiveSpan('request', async (span) => {
    requestId = span.spanContext().spanId;
    try {
      await work().catch(() => undefined);
    } finally {
      span.end();
    }
  });
  const spans = exporter.getFinishedSpans();
  const request = spans.find((s) => s.spanContext().spanId === requestId)!;
  return { request, children: spans.filter((s) => s !== request && s.spanContext().traceId === request.spanContext().traceId) };
}

const queries = (spans: ReadableSpan[]) => spans.filter((s) => s.name.startsWith('pg.query'));

beforeAll(async () => {
  await startTracing({ serviceName: 'query-span-test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const url = await freshDatabase('query_span');
  const parsed = new URL(url);
  target = { database: parsed.pathname.slice(1), host: parsed.hostname, port: Number(parsed.port) || 5432 };
  db = createDatabase({ url, poolMax: 2 });
  await db.execute('CREATE TABLE people (id uuid PRIMARY KEY, email text NOT NULL)');
});

afterAll(async () => {
  await db?.close();
  await shutdownTracing();
});

beforeEach(() => exporter.reset());

describe('query spans', () => {
  it('records one CLIENT span per statement under the request, with the connection and the sanitised statement', async () => {
    const { request, children } = await inRequest(() => db.query('SELECT id FROM people WHERE email = $1 AND id IS NOT NULL', [SECRET]));
    const [query] = queries(children);
    expect(queries(children)).toHaveLength(1);
    expect(query!.name).toBe(`pg.query:SELECT ${target.database}`);
    expect(query!.kind).toBe(SpanKind.CLIENT);
    expect(query!.instrumentationScope.name).toBe(QUERY_SPAN_SCOPE);
    expect(query!.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(query!.attributes).toEqual({
      'db.system.name': 'postgresql',
      'db.namespace': target.database,
      'server.address': target.host,
      'server.port': target.port,
      'db.query.text': 'SELECT id FROM people WHERE email = $1 AND id IS NOT NULL',
      'db.statement': 'SELECT id FROM people WHERE email = $1 AND id IS NOT NULL',
      [SQL_SANITISED_ATTRIBUTE]: true,
    });
    expect(query!.status.code).toBe(SpanStatusCode.UNSET);
    // the wait for the pooled connection is a span of its own, beside the statement
    const connect = children.find((s) => s.name === 'pg-pool.connect');
    expect(connect?.kind).toBe(SpanKind.CLIENT);
    expect(connect?.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(JSON.stringify(children.map((s) => [s.name, s.attributes, s.events]))).not.toContain(SECRET);
  });

  it('replaces inlined literals in the recorded statement', async () => {
    const { children } = await inRequest(() => db.query(`SELECT count(*) FROM people WHERE email = '${SECRET}' OR 42 = 7`));
    const [query] = queries(children);
    expect(query!.attributes['db.query.text']).toBe('SELECT count(*) FROM people WHERE email = ? OR ? = ?');
    expect(query!.attributes['db.statement']).toBe(query!.attributes['db.query.text']);
    expect(JSON.stringify(query!.attributes)).not.toContain(SECRET);
  });

  it("names a transaction's statements by their command", async () => {
    const { children } = await inRequest(() =>
      db.transaction((tx) => tx.execute('INSERT INTO people (id, email) VALUES (gen_random_uuid(), $1)', [SECRET])),
    );
    expect(queries(children).map((s) => s.name.split(' ')[0])).toEqual(['pg.query:BEGIN', 'pg.query:INSERT', 'pg.query:COMMIT']);
  });

  it("marks a failed statement as an error with its type and SQLSTATE, never the server's message or the value", async () => {
    const { children } = await inRequest(() => db.query('SELECT $1::uuid AS id', [SECRET]));
    const [query] = queries(children);
    expect(query!.status.code).toBe(SpanStatusCode.ERROR);
    expect(query!.attributes['error.type']).toBe('22P02'); // invalid_text_representation
    expect(query!.status.message).toMatch(/^PostgreSQL error of type '\w+' occurred \(code: 22P02\)$/);
    expect(query!.events.map((e) => e.name)).toEqual(['exception']);
    expect(JSON.stringify([query!.status, query!.events, query!.attributes])).not.toContain(SECRET);
  });

  it('traces the statements a library sends through the pool itself (callback and promise forms)', async () => {
    const { children } = await inRequest(async () => {
      await db.pool.query('SELECT 1 AS one'); // pg-pool calls the client's query with a callback
      const client = await db.pool.connect();
      try {
        await client.query({ text: 'SELECT $1::text AS v', values: [SECRET], name: 'probe_v' });
      } finally {
        client.release();
      }
    });
    expect(queries(children).map((s) => s.name)).toEqual([`pg.query:SELECT ${target.database}`, `pg.query:probe_v ${target.database}`]);
    expect(JSON.stringify(children.map((s) => s.attributes))).not.toContain(SECRET);
  });

  it('records nothing outside a traced request (the readiness probe, background jobs)', async () => {
    await db.query('SELECT 1');
    expect(await db.isReachable()).toBe(true);
    await db.pool.query('SELECT 2');
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("records nothing under a request the caller's sampling left out", async () => {
    const unsampled = trace.setSpanContext(context.active(), {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.NONE,
      isRemote: true,
    });
    await context.with(unsampled, () => db.query('SELECT id FROM people WHERE email = $1', [SECRET]));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
