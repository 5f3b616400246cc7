import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { listen } from './ports.js';
import httpProxy from 'http-proxy';
import { isLocalObjectPath, routeFor, SERVICES, type ServiceName } from '@agora/mesh/topology';
import { answerClientError } from '@agora/mesh/http/client-error';
import { isAppPath, webAppHandler, type WebAppOptions } from '@agora/mesh/http/web-app';
import { apiDocsHandler, isApiDocsPath, type ApiDocsOptions } from '@agora/mesh/http/api-docs';
import { EDGE_HEADER, signEdge } from '@agora/mesh/http/client-address';

/**
 * The local ingress: one port in front of every service, with the routes of the Istio
 * VirtualService (both come from `routeFor()` in topology.ts). Bodies are streamed, never buffered.
 * Plain HTTP only (no websockets).
 */
export interface IngressOptions {
  readonly port: number;
  /** Listen address; default 127.0.0.1 (the local run is for this machine only). */
  readonly host?: string;
  /**
   * Base URL per service. Default: every service of the topology at http://127.0.0.1:<localPort>.
   * A service that is routed by the topology but missing here answers 503 ("not running").
   */
  readonly upstreams?: Partial<Record<ServiceName, string>>;
  /**
   * Base URL of the local object store, which gets `/objects/...` (a local-only route, see
   * LOCAL_OBJECT_STORE in topology.ts). Absent: those paths answer 503 ("not running").
   */
  readonly objectStore?: string;
  /**
   * MESH_LOCAL_KEY: signs the X-Forwarded-For chain the ingress builds, so a service believes the
   * client address only from the ingress (mesh/src/http/client-address.ts). Absent: the services
   * see the ingress's own address for every client.
   */
  readonly edgeKey?: string;
  /** Error lines (upstream failures); default: none. */
  readonly onError?: (line: string) => void;
  /** One line per request when given. */
  readonly onAccess?: (line: string) => void;
  /** Serve the built web app at `/` (paths outside the API and /.well-known). Absent: those are 404s. */
  readonly web?: WebAppOptions;
  /** Serve Swagger UI for the merged public API at `/docs` (mesh/src/http/api-docs.ts). */
  readonly apiDocs?: ApiDocsOptions;
}

export interface Ingress {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then cuts them. */
  close(graceMs?: number): Promise<void>;
}

const PROBLEM_BASE = 'https://agora.dev/problems/';

const TITLES: Record<number, [slug: string, title: string]> = {
  404: ['not-found', 'Not Found'],
  502: ['bad-gateway', 'Bad Gateway'],
  503: ['service-unavailable', 'Service Unavailable'],
};

function sendProblem(res: http.ServerResponse, status: 404 | 502 | 503, detail: string, requestId: string): void {
  if (res.headersSent) {
    // The upstream answered and then dropped the connection — typically a 413 sent while the client
    // was still uploading. If the answer is complete, let the client finish sending (and discard it)
    // so it reads that answer instead of a reset.
    if (res.writableEnded) res.req.resume();
    else res.destroy(); // http-proxy aborted the upstream answer mid-way: cut, don't hang
    return;
  }
  const [slug, title] = TITLES[status]!;
  const body = JSON.stringify({ type: `${PROBLEM_BASE}${slug}`, title, status, detail, instance: requestId });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-request-id': requestId,
  });
  res.end(body);
}

/**
 * The path to route and forward: dot segments resolved (also %2e), repeated slashes merged, query
 * kept. Routing and forwarding the same normalised path means `/api/v1/auth/../../../internal/x`
 * cannot reach a path the ingress would refuse.
 */
export function normalisePath(rawUrl: string): { pathname: string; search: string } {
  const url = new URL(rawUrl.startsWith('/') ? `http://ingress${rawUrl}` : rawUrl, 'http://ingress');
  return { pathname: url.pathname.replace(/\/{2,}/g, '/'), search: url.search };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function startIngress(opts: IngressOptions): Promise<Ingress> {
  const upstreams: Partial<Record<ServiceName, string>> =
    opts.upstreams ?? Object.fromEntries(SERVICES.map((s) => [s.name, `http://127.0.0.1:${s.localPort}`]));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const web = opts.web ? webAppHandler(opts.web) : undefined;
  const apiDocs = opts.apiDocs ? apiDocsHandler(opts.apiDocs) : undefined;
  const proxy = httpProxy.createProxyServer({ agent, xfwd: false, changeOrigin: false, proxyTimeout: 120_000 });

  proxy.on('error', (err: NodeJS.ErrnoException, req, resOrSocket) => {
    const res = resOrSocket as http.ServerResponse;
    const requestId = String(req.headers['x-request-id'] ?? '');
    const service = (req as http.IncomingMessage & { agoraService?: string }).agoraService ?? 'upstream';
    // The client went away: nothing to answer.
    // (req.destroyed is no signal: a fully read request is auto-destroyed.)
    if (res.destroyed || req.socket.destroyed) return;
    const refused = ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(err.code ?? '');
    opts.onError?.(`${req.method} ${req.url} → ${service}: ${err.code ?? err.message} (request ${requestId})`);
    if (refused) sendProblem(res, 503, `The ${service} service is not reachable.`, requestId);
    else sendProblem(res, 502, `The ${service} service failed to answer.`, requestId);
  });

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    if (opts.onAccess) {
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        // A notification stream ticket is a credential (single use, but still): never printed.
        const url = (req.url ?? '').replace(/([?&]ticket=)[^&]*/g, '$1[redacted]');
        opts.onAccess?.(`${req.method} ${url} ${res.statusCode} ${ms.toFixed(1)}ms ${requestId}`);
      });
    }

    let target: { pathname: string; search: string };
    try {
      target = normalisePath(req.url ?? '/');
    } catch {
      sendProblem(res, 404, 'No public route for this path.', requestId);
      return;
    }
    if (isLocalObjectPath(target.pathname)) {
      if (!opts.objectStore) {
        req.resume();
        sendProblem(res, 503, 'The local object store is not running in this local run.', requestId);
        return;
      }
      req.url = `${target.pathname}${target.search}`;
      (req as http.IncomingMessage & { agoraService?: string }).agoraService = 'object store';
      proxy.web(req, res, { target: opts.objectStore });
      return;
    }
    if (apiDocs && isApiDocsPath(target.pathname)) {
      void apiDocs(req, res, target.pathname);
      return;
    }
    const service = routeFor(target.pathname);
    if (!service && web && isAppPath(target.pathname)) {
      void web(req, res, target.pathname);
      return;
    }
    if (!service) {
      req.resume();
      sendProblem(res, 404, `No public route for ${target.pathname}.`, requestId);
      return;
    }
    const base = upstreams[service.name];
    if (!base) {
      req.resume();
      sendProblem(res, 503, `The ${service.name} service is not running in this local run.`, requestId);
      return;
    }

    // The edge sets the forwarding headers: the client may not choose its own proto or host, and
    // its address is appended to the chain (as Envoy does with use_remote_address).
    const remote = req.socket.remoteAddress ?? '';
    const xff = req.headers['x-forwarded-for'];
    const forwardedFor = xff ? `${Array.isArray(xff) ? xff.join(', ') : xff}, ${remote}` : remote;
    req.headers['x-forwarded-for'] = forwardedFor;
    if (opts.edgeKey) req.headers[EDGE_HEADER] = signEdge(forwardedFor, opts.edgeKey);
    else delete req.headers[EDGE_HEADER];
    req.headers['x-forwarded-proto'] = 'http';
    req.headers['x-forwarded-host'] = req.headers.host ?? `localhost:${opts.port}`;
    req.url = `${target.pathname}${target.search}`;
    (req as http.IncomingMessage & { agoraService?: string }).agoraService = service.name;
    proxy.web(req, res, { target: base });
  });
  server.on('clientError', answerClientError);
  server.headersTimeout = 60_000;
  server.requestTimeout = 0; // long uploads/streams are the upstream's business

  const port = await listen(server, opts.port, opts.host ?? '127.0.0.1');
  const host = opts.host && opts.host !== '0.0.0.0' && opts.host !== '::' ? opts.host : 'localhost';

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`,
    port,
    server,
    close(graceMs = 5_000) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          agent.destroy();
          proxy.close();
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
