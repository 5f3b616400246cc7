/**
 * The one description of which services exist, where they listen locally and which public path
 * prefixes the ingress sends them. The local ingress routes from it and the Istio VirtualService is
 * checked against it, so the two ingresses cannot disagree.
 */
export interface ServiceTopology {
  /** Service name: folder under services/, Kubernetes Service, ServiceAccount and metrics label. */
  readonly name: ServiceName;
  /** Port the service listens on in the local run. */
  readonly localPort: number;
  /** Public path prefixes the ingress forwards to this service (exact prefix or prefix + '/'). */
  readonly publicPrefixes: readonly string[];
  /** The service's own PostgreSQL database. */
  readonly database: string;
  /**
   * Public paths (under a prefix) that answer with a long-lived stream (Server-Sent Events): the
   * Istio route generated for them has no request timeout, where every other route has 15 s.
   */
  readonly streamPaths?: readonly string[];
}

export type ServiceName = 'auth' | 'users' | 'posts' | 'media' | 'notifications';

export const NAMESPACE = 'agora';
export const INGRESS_LOCAL_PORT = 8080;
export const CONTAINER_PORT = 8080;
export const JWT_AUDIENCE = 'agora-api';

export const SERVICES: readonly ServiceTopology[] = [
  { name: 'auth', localPort: 4001, publicPrefixes: ['/api/v1/auth', '/.well-known'], database: 'agora_auth' },
  {
    name: 'users',
    localPort: 4002,
    publicPrefixes: ['/api/v1/users', '/api/v1/search/users', '/api/v1/reports', '/api/v1/admin/reports', '/api/v1/admin/users'],
    database: 'agora_users',
  },
  { name: 'posts', localPort: 4003, publicPrefixes: ['/api/v1/posts', '/api/v1/feed', '/api/v1/search/posts'], database: 'agora_posts' },
  { name: 'media', localPort: 4004, publicPrefixes: ['/api/v1/media'], database: 'agora_media' },
  {
    name: 'notifications',
    localPort: 4005,
    publicPrefixes: ['/api/v1/notifications'],
    database: 'agora_notifications',
    streamPaths: ['/api/v1/notifications/stream'],
  },
];

/** The services' names in topology order (auth first: the others fetch its JWKS). */
export const SERVICE_NAMES: readonly ServiceName[] = SERVICES.map((s) => s.name);

/**
 * The one route that exists only in the local run: the local object store (tools/src/local/object-store.ts)
 * stands in for S3 under `/objects/`. In the cluster, browsers use S3's presigned URLs directly, so the
 * Istio VirtualService has no such route, and this entry is not part of SERVICES.
 */
export const LOCAL_OBJECT_STORE = { name: 'objects', localPort: 4010, publicPrefix: '/objects' } as const;

/** True when the local ingress sends `path` to the local object store. */
export function isLocalObjectPath(path: string): boolean {
  return path.startsWith(`${LOCAL_OBJECT_STORE.publicPrefix}/`);
}

/** Paths that no ingress ever routes, whatever a prefix says. */
export const NEVER_ROUTED_PREFIXES = ['/internal', '/metrics', '/healthz'] as const;

/** The mesh principal (SPIFFE identity without the scheme) of a service's workload. */
export function meshPrincipal(service: ServiceName, namespace = NAMESPACE): string {
  return `cluster.local/ns/${namespace}/sa/${service}`;
}

/** The service that the ingress routes `path` to, or undefined when it is not public. */
export function routeFor(path: string): ServiceTopology | undefined {
  if (NEVER_ROUTED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return undefined;
  return SERVICES.find((s) => s.publicPrefixes.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`)));
}
