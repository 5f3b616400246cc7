import pg from 'pg';
import type { Attributes, Span } from '@opentelemetry/api';
import { connectionAttributes, endDatabaseSpan, insideTracedRequest, startQuerySpan } from '../observability/query-span.js';

/**
 * pg's Client with a span per statement (observability/query-span.ts). The service's pool makes its
 * connections from it (pg-pool's documented `Client` option), so every statement sent on the pool
 * is traced, whoever sends it: mesh's Database, rate-limiter-flexible, graphile-worker. Outside a
 * traced request, and when tracing is off, a statement costs one look at the active context.
 *
 * Every form of `query` is kept: a statement given as text or as a config object with `text`, with a
 * callback (how the pool's own `query` calls it) or without (a promise). A Submittable (a cursor, a
 * stream) and a config object carrying its own `callback` are passed through without a span: they
 * report their end their own way, and nothing in Agora sends either.
 */
export class TracedClient extends pg.Client {
  #attributes: Attributes | undefined;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one signature stands for pg's eight overloads; the arguments reach pg's query unchanged
  override query(...args: any[]): any {
    if (!insideTracedRequest()) return Reflect.apply(super.query, this, args);
    const [first] = args as [unknown];
    const config =
      typeof first === 'object' && first !== null ? (first as { text?: unknown; name?: unknown; submit?: unknown; callback?: unknown }) : undefined;
    const untraceable = typeof config?.submit === 'function' || typeof config?.callback === 'function';
    const text = typeof first === 'string' ? first : typeof config?.text === 'string' && !untraceable ? config.text : undefined;
    if (text === undefined) return Reflect.apply(super.query, this, args);

    this.#attributes ??= connectionAttributes({ database: this.database, host: this.host, port: this.port });
    const span = startQuerySpan(this.database, this.#attributes, text, typeof config?.name === 'string' ? config.name : undefined);
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (err: Error | null, result: unknown) => void;
      args[last] = (err: Error | null, result: unknown) => {
        endDatabaseSpan(span, err ?? undefined);
        callback(err, result);
      };
      return Reflect.apply(super.query, this, args);
    }
    return traced(span, Reflect.apply(super.query, this, args) as Promise<unknown>);
  }
}

async function traced<T>(span: Span | undefined, result: Promise<T>): Promise<T> {
  try {
    const value = await result;
    endDatabaseSpan(span);
    return value;
  } catch (err) {
    endDatabaseSpan(span, err);
    throw err;
  }
}
