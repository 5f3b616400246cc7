import { createHmac, timingSafeEqual } from 'node:crypto';
import { NAMESPACE } from '../topology.js';
import type { WorkloadPrincipal } from './principal.js';

/**
 * Who is the calling workload?
 *
 * - `istio`: the sidecar terminates mTLS and sets `X-Forwarded-Client-Cert` from the peer's verified
 *   certificate (it replaces whatever the client sent), so the last element's `URI=spiffe://...` is
 *   the immediate caller's identity. This is only trustworthy because STRICT PeerAuthentication
 *   makes every request arrive through the sidecar.
 * - `local`: no mesh, no certificates. The caller sends `X-Agora-Workload: <service>.<unix>.<mac>`,
 *   an HMAC over the service name and time with the run's shared MESH_LOCAL_KEY (generated per
 *   checkout, never committed). It proves the caller is a process of this local run and which service
 *   it claims to be; unlike mTLS it cannot stop one local service from claiming another's name,
 *   which is acceptable on a developer's laptop and documented as such.
 */
export const XFCC_HEADER = 'x-forwarded-client-cert';
export const LOCAL_WORKLOAD_HEADER = 'x-agora-workload';
const LOCAL_ASSERTION_MAX_AGE_S = 60;

export type MeshIdentityMode = 'istio' | 'local';

/**
 * The mesh's SPIFFE trust domain: Istio's default (istio/install/istio-operator.yaml sets no other;
 * test/cluster checks that it does not). A certificate from another trust domain (a federated or
 * misconfigured mesh) names no workload of this cluster.
 */
export const MESH_TRUST_DOMAIN = 'cluster.local';

export interface XfccExpectation {
  readonly trustDomain: string;
  /** The namespace the services run in: a workload of another namespace is not one of them. */
  readonly namespace: string;
}

/**
 * The immediate caller named by the sidecar's XFCC header, when its SPIFFE ID is
 * `spiffe://<trust domain>/ns/<namespace>/sa/<service account>` in this cluster's trust domain and
 * the services' namespace; anything else names no workload (the request is then anonymous).
 */
export function workloadFromXfcc(
  header: string | undefined,
  expected: XfccExpectation = { trustDomain: MESH_TRUST_DOMAIN, namespace: NAMESPACE },
): WorkloadPrincipal | undefined {
  if (!header) return undefined;
  const elements = header.split(',');
  const last = elements[elements.length - 1] ?? '';
  const uri = /(?:^|;)URI=(?:"?)spiffe:\/\/([^;",]+)/i.exec(last)?.[1];
  if (!uri) return undefined;
  const m = /^([^/]+)\/ns\/([^/]+)\/sa\/([a-z0-9-]+)$/.exec(uri);
  if (!m || m[1] !== expected.trustDomain || m[2] !== expected.namespace) return undefined;
  return { kind: 'workload', service: m[3]!, principal: uri };
}

export function signLocalAssertion(service: string, key: string, now = Date.now()): string {
  const ts = Math.floor(now / 1000);
  return `${service}.${ts}.${mac(service, ts, key)}`;
}

export function workloadFromLocalAssertion(header: string | undefined, key: string, now = Date.now()): WorkloadPrincipal | undefined {
  if (!header) return undefined;
  const [service, tsText, signature] = header.split('.');
  if (!service || !tsText || !signature || !/^[a-z0-9-]+$/.test(service)) return undefined;
  const ts = Number(tsText);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > LOCAL_ASSERTION_MAX_AGE_S) return undefined;
  const expected = Buffer.from(mac(service, ts, key));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  return { kind: 'workload', service, principal: `local/${service}` };
}

function mac(service: string, ts: number, key: string): string {
  return createHmac('sha256', key).update(`${service}.${ts}`).digest('base64url');
}
