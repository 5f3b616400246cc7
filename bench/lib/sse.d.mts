// Types of sse.mjs for the TypeScript tests that import it (services/notifications/test/harness.ts).
import type { IncomingHttpHeaders } from 'node:http';

/** One Server-Sent Event as received: `data` parsed as JSON, `at` the clock's reading when it arrived. */
export interface StreamEvent {
  event: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  id?: string;
  at: number;
}

export interface OpenStream {
  status: number;
  headers: IncomingHttpHeaders;
  events: StreamEvent[];
  /** The raw text so far (comments included). */
  raw(): string;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
  /** The first event named `name` at index ≥ `from` that `match` accepts; rejects after `ms` (default 10 s). */
  next(name: string, opts?: { ms?: number; from?: number; match?: (event: StreamEvent) => boolean }): Promise<StreamEvent>;
}

export function openStream(url: string, headers?: Record<string, string>, opts?: { clock?: () => number }): Promise<OpenStream>;
