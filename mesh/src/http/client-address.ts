import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { XFCC_HEADER, workloadFromXfcc, type MeshIdentityMode } from '../auth/workload-identity.js';

/**
 * The client's address (`ctx.ip`), taken from the trusted edge only.
 *
 * `X-Forwarded-For` is a list anyone can start: only the entries appended by our own edge (the
 * ingress) are facts. A service therefore reads it only when the request provably came through that
 * edge, and then takes the entry `trustedHops` from the end (1: the address the ingress saw itself;
 * more when trusted load balancers stand in front of it and append their own). Otherwise `ctx.ip`
 * is the TCP peer, whatever the headers say.
 *
 * How a request proves it came through the edge:
 * - `istio`: STRICT mTLS puts every request through the sidecar, which sets
 *   `X-Forwarded-Client-Cert` from the peer's verified certificate; the immediate peer must be the
 *   ingress gateway's SPIFFE principal. (A workload calling directly cannot claim a client address.)
 * - `local`: every process of the local run listens on loopback, so the peer address says nothing;
 *   the local ingress signs the forwarded-for chain it built with the run's MESH_LOCAL_KEY
 *   (`X-Agora-Edge: <unix>.<hmac>`), and a request reaching a service directly has no valid one.
 */
export const EDGE_HEADER = 'x-agora-edge';
const EDGE_MAX_AGE_S = 60;

export interface ClientAddressOptions {
  mode: MeshIdentityMode;
  /** MESH_LOCAL_KEY, for `local`. */
  localKey?: string;
  /** The ingress gateway's SPIFFE principal, for `istio`. */
  ingressPrincipal: string;
  /** How many forwarded-for entries at the end were appended by trusted proxies (≥ 1: the ingress). */
  trustedHops: number;
}

export function clientAddress(options: ClientAddressOptions): Middleware {
  // The gateway lives in its own namespace (istio-system), not the services': its XFCC is read with
  // the trust domain and namespace its principal names.
  const gateway = stripScheme(options.ingressPrincipal);
  const [trustDomain = '', , namespace = ''] = gateway.split('/');
  return async function resolveClientAddress(ctx, next) {
    const peer = ctx.req.socket.remoteAddress ?? '';
    const chain = forwardedChain(ctx.get('x-forwarded-for'));
    const throughEdge =
      options.mode === 'istio'
        ? workloadFromXfcc(ctx.get(XFCC_HEADER) || undefined, { trustDomain, namespace })?.principal === gateway
        : options.localKey !== undefined && verifyEdgeSignature(ctx.get(EDGE_HEADER), ctx.get('x-forwarded-for'), options.localKey);
    const forwarded = throughEdge ? chain[chain.length - options.trustedHops] : undefined;
    // Koa's request.ip has a supported setter; everything downstream (controllers, spans) reads it.
    ctx.request.ip = forwarded ?? peer;
    await next();
  };
}

function forwardedChain(header: string): string[] {
  return header
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function stripScheme(principal: string): string {
  return principal.replace(/^spiffe:\/\//, '');
}

/** The local ingress's signature over the X-Forwarded-For value it sends. */
export function signEdge(forwardedFor: string, key: string, now = Date.now()): string {
  const ts = Math.floor(now / 1000);
  return `${ts}.${mac(ts, forwardedFor, key)}`;
}

export function verifyEdgeSignature(header: string, forwardedFor: string, key: string, now = Date.now()): boolean {
  const [tsText, signature] = header.split('.');
  if (!tsText || !signature) return false;
  const ts = Number(tsText);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > EDGE_MAX_AGE_S) return false;
  const expected = Buffer.from(mac(ts, forwardedFor, key));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function mac(ts: number, forwardedFor: string, key: string): string {
  return createHmac('sha256', key).update(`edge.${ts}.${forwardedFor}`).digest('base64url');
}
