import { context, propagation } from '@opentelemetry/api';
import { currentRequest } from '../request-context.js';
import { LOCAL_WORKLOAD_HEADER, signLocalAssertion, type MeshIdentityMode } from '../auth/workload-identity.js';
import { ProblemError, problems } from '../http/problem.js';

/**
 * Service-to-service calls through the mesh. Each call:
 *  - forwards the user's bearer token (when one is behind the request) and the request id;
 *  - propagates trace context: W3C `traceparent` via OpenTelemetry, plus Envoy's B3 /
 *    `x-ot-span-context` headers copied from the incoming request so Envoy's spans join the trace;
 *  - identifies the calling workload (Istio: the sidecar's mTLS certificate does it; local run: an
 *    HMAC assertion with the run's key);
 *  - has a hard timeout and turns a failing or unreachable callee into a fast 503 problem instead
 *    of a hang or a 500.
 */
export interface ServiceClientOptions {
  /** Name of the calling service (for identity and metrics). */
  caller: string;
  /** Name of the callee (for errors and metrics). */
  callee: string;
  baseUrl: string;
  meshIdentity: MeshIdentityMode;
  meshLocalKey?: string;
  timeoutMs?: number;
  /** Observes every call: duration and outcome (`ok`, `http_4xx`, `http_5xx`, `timeout`, `unreachable`). */
  onCall?: (callee: string, outcome: string, seconds: number) => void;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Forward the current user's token (default true when one is present). */
  forwardUser?: boolean;
}

export class ServiceClient {
  constructor(private readonly options: ServiceClientOptions) {}

  /** Calls `path` and returns the parsed JSON body; 4xx from the callee become the same problem, others 503. */
  async call<T>(path: string, call: CallOptions = {}): Promise<T> {
    const { callee } = this.options;
    const headers: Record<string, string> = { accept: 'application/json' };
    const req = currentRequest();
    if (req) {
      headers['x-request-id'] = req.requestId;
      Object.assign(headers, req.forwardHeaders);
      if (req.bearerToken && call.forwardUser !== false) headers.authorization = `Bearer ${req.bearerToken}`;
    }
    propagation.inject(context.active(), headers);
    if (this.options.meshIdentity === 'local') {
      headers[LOCAL_WORKLOAD_HEADER] = signLocalAssertion(this.options.caller, this.options.meshLocalKey ?? '');
    }
    if (call.body !== undefined) headers['content-type'] = 'application/json';

    const started = process.hrtime.bigint();
    const observe = (outcome: string) =>
      this.options.onCall?.(callee, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    let res: Response;
    try {
      res = await fetch(new URL(path, this.options.baseUrl), {
        method: call.method ?? 'GET',
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 2_000),
        redirect: 'error',
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      observe(timedOut ? 'timeout' : 'unreachable');
      throw problems.unavailable(`The ${callee} service did not answer in time; try again shortly.`);
    }
    const text = await res.text();
    if (res.ok) {
      observe('ok');
      return (text ? JSON.parse(text) : undefined) as T;
    }
    observe(res.status >= 500 ? 'http_5xx' : 'http_4xx');
    if (res.status === 404) throw problems.notFound(detailOf(text) ?? 'Not found.');
    if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403) {
      throw new ProblemError(res.status, res.status === 409 ? 'conflict' : 'validation', detailOf(text) ?? 'Rejected by a dependency.');
    }
    // 401/403 from a callee means our own identity or policy is wrong, not the caller's fault.
    throw problems.unavailable(`The ${callee} service refused or failed the call; try again shortly.`);
  }
}

function detailOf(text: string): string | undefined {
  try {
    const doc = JSON.parse(text) as { detail?: unknown };
    return typeof doc.detail === 'string' ? doc.detail : undefined;
  } catch {
    return undefined;
  }
}
