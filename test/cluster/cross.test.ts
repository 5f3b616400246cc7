// Cross-checks between the rendered manifests, the Istio resources, the topology and skaffold.yaml.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { LOCAL_OBJECT_STORE, NEVER_ROUTED_PREFIXES, SERVICES, JWT_AUDIENCE, meshPrincipal, routeFor } from '../../mesh/src/topology.js';
import { ROOT, containerEnv, kustomize, type Doc } from './lib.js';

const ENVS = [
  { name: 'base', services: 'services/k8s/base', istio: 'istio/base' },
  { name: 'dev', services: 'services/k8s/overlays/dev', istio: 'istio/overlays/dev' },
  { name: 'prod', services: 'services/k8s/overlays/prod', istio: 'istio/overlays/prod' },
];
const skaffold = YAML.parse(readFileSync(path.join(ROOT, 'skaffold.yaml'), 'utf8'));
const INGRESS_GATEWAY_PRINCIPAL = 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';

/** The ingress routes that send to one of the topology's services. */
function serviceRoutes(ingress: Doc): Doc[] {
  return ingress.spec.http.filter((r: Doc) => SERVICES.some((s) => r.route?.[0]?.destination.host.startsWith(`${s.name}.`)));
}

/** The route Istio picks for `p`: the first whose match (exact or prefix) takes it, in order. */
function firstRoute(ingress: Doc, p: string): Doc | undefined {
  return ingress.spec.http.find((r: Doc) =>
    r.match.some((m: Doc) => m.uri.exact === p || (m.uri.prefix !== undefined && p.startsWith(m.uri.prefix))),
  );
}

for (const env of ENVS) {
  describe(`${env.name}: ${env.services} + ${env.istio}`, () => {
    const app = kustomize(env.services);
    const mesh = kustomize(env.istio);
    const all = [...app, ...mesh];
    const of = (kind: string) => all.filter((d) => d.kind === kind);
    // The services' Deployments (the dev overlay adds MinIO and Mailpit, checked in traffic.test.ts).
    const deployments = of('Deployment').filter((d) => SERVICES.some((s) => s.name === d.metadata.name));
    const authDeployment = deployments.find((d) => d.metadata.name === 'auth')!;
    const authEnv = containerEnv(app, authDeployment, 'auth');

    it('has one Deployment, Service, ServiceAccount, HPA and PDB per service of the topology', () => {
      for (const s of SERVICES) {
        for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
          expect(
            of(kind).some((d) => d.metadata.name === s.name && d.metadata.namespace === 'agora'),
            `${kind} ${s.name}`,
          ).toBe(true);
        }
      }
    });

    it('runs every Deployment as its own ServiceAccount: the principal the policies name', () => {
      for (const d of deployments) {
        const sa = d.spec.template.spec.serviceAccountName;
        expect(sa, d.metadata.name).toBe(d.metadata.name);
        expect(of('ServiceAccount').some((x) => x.metadata.name === sa)).toBe(true);
      }
      const principals = new Set<string>();
      const walk = (x: unknown): void => {
        if (Array.isArray(x)) x.forEach(walk);
        else if (x && typeof x === 'object') {
          for (const [k, v] of Object.entries(x)) {
            if (k === 'principals' || k === 'notPrincipals') (v as string[]).forEach((p) => principals.add(p));
            else walk(v);
          }
        }
      };
      of('AuthorizationPolicy').forEach((p) => walk(p.spec));
      // The one principal from outside the namespace: the ingress gateway (web/k8s admits only it).
      principals.delete(INGRESS_GATEWAY_PRINCIPAL);
      for (const p of principals) {
        const sa = /^cluster\.local\/ns\/agora\/sa\/([a-z0-9-]+)$/.exec(p)?.[1];
        expect(sa, `principal ${p}`).toBeDefined();
        const d = of('Deployment').find((x) => x.spec.template.spec.serviceAccountName === sa);
        expect(d, `a Deployment runs as ${p}`).toBeDefined();
        expect(meshPrincipal(sa as never)).toBe(p);
      }
    });

    it("every RequestAuthentication uses auth's JWT_ISSUER, JWKS_URL and JWT_AUDIENCE", () => {
      expect(authEnv.JWT_AUDIENCE).toBe(JWT_AUDIENCE);
      const ras = of('RequestAuthentication');
      const selected = ras.map((r) => r.spec.selector?.matchLabels?.app ?? r.spec.selector?.matchLabels?.istio);
      expect(selected.sort()).toEqual([...SERVICES.map((s) => s.name), 'ingressgateway'].sort());
      for (const ra of ras) {
        expect(ra.spec.jwtRules).toHaveLength(1);
        const rule = ra.spec.jwtRules[0];
        expect(rule.issuer, ra.metadata.name).toBe(authEnv.JWT_ISSUER);
        expect(rule.jwksUri, ra.metadata.name).toBe(authEnv.JWKS_URL);
        expect(rule.audiences, ra.metadata.name).toEqual([authEnv.JWT_AUDIENCE]);
        expect(rule.forwardOriginalToken, ra.metadata.name).toBe(true);
      }
      // Every service verifies with the same settings as its sidecar.
      for (const d of deployments) {
        const e = containerEnv(app, d, d.metadata.name);
        expect([e.JWT_ISSUER, e.JWKS_URL, e.JWT_AUDIENCE]).toEqual([authEnv.JWT_ISSUER, authEnv.JWKS_URL, authEnv.JWT_AUDIENCE]);
      }
    });

    it('every VirtualService route reaches an existing Service port', () => {
      for (const vs of of('VirtualService')) {
        for (const route of vs.spec.http) {
          // A direct response (the ingress's 404 for paths that are no page) has no destination.
          expect(Boolean(route.route) !== Boolean(route.directResponse), `${vs.metadata.name}/${route.name}`).toBe(true);
          for (const r of route.route ?? []) {
            const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(r.destination.host);
            expect(m, r.destination.host).not.toBeNull();
            const svc = app.find((d) => d.kind === 'Service' && d.metadata.name === m![1] && d.metadata.namespace === m![2]);
            expect(svc, r.destination.host).toBeDefined();
            expect(svc!.spec.ports.map((p: Doc) => p.port)).toContain(r.destination.port.number);
          }
        }
      }
      for (const dr of of('DestinationRule')) {
        expect(app.some((d) => d.kind === 'Service' && `${d.metadata.name}.${d.metadata.namespace}.svc.cluster.local` === dr.spec.host)).toBe(true);
        expect(dr.spec.trafficPolicy.tls.mode).toBe('ISTIO_MUTUAL');
      }
    });

    it("routes exactly the topology's public prefixes at the ingress, and never /internal, /metrics, /healthz", () => {
      const ingress = of('VirtualService').find((v) => v.spec.gateways?.includes('agora/agora-gateway'))!;
      const routed: Record<string, string[]> = {};
      // The services' routes; after them the 404 for what is no page and the web app at `/` (below).
      for (const route of serviceRoutes(ingress)) {
        const service = route.route[0].destination.host.split('.')[0];
        for (const m of route.match) {
          const exact = m.uri.exact as string | undefined;
          const prefix = m.uri.prefix as string | undefined;
          // A stream path's own route (no timeout) is a path under the service's prefix, not a prefix.
          if (exact && SERVICES.some((s) => s.streamPaths?.includes(exact))) continue;
          if (exact) (routed[service] ??= []).push(exact);
          else {
            expect(prefix?.endsWith('/'), `prefix ${prefix} must end with / (like routeFor)`).toBe(true);
            expect(route.match.some((x: Doc) => x.uri.exact === prefix!.slice(0, -1))).toBe(true);
          }
        }
      }
      expect(routed).toEqual(Object.fromEntries(SERVICES.map((s) => [s.name, [...s.publicPrefixes]])));
      for (const p of [...NEVER_ROUTED_PREFIXES, ...NEVER_ROUTED_PREFIXES.map((x) => `${x}/anything`)]) {
        const hit = firstRoute(ingress, p);
        expect(hit?.directResponse?.status, `${p} is answered 404 by the ingress itself`).toBe(404);
        expect(routeFor(p)).toBeUndefined();
      }
    });

    it('sends every other path to the web app, after a 404 (problem+json) for API paths no service has', () => {
      const ingress = of('VirtualService').find((v) => v.spec.gateways?.includes('agora/agora-gateway'))!;
      const names = ingress.spec.http.map((r: Doc) => r.name);
      expect(names.slice(-2)).toEqual(['not-a-page', 'web']);
      const web = ingress.spec.http.at(-1);
      expect(web.match).toEqual([{ uri: { prefix: '/' } }]);
      expect(web.route).toEqual([{ destination: { host: 'web.agora.svc.cluster.local', port: { number: 80 } } }]);
      for (const page of ['/', '/@ada', '/posts/0190a7f2', '/settings', '/assets/index-abc.js', '/apiary', '/metricsx'])
        expect(firstRoute(ingress, page)?.name, page).toBe('web');
      // Swagger UI of the public API: web/server.mjs serves it (test/images/web-server.test.ts).
      for (const docs of ['/docs', '/docs/openapi.json', '/docs/swagger-ui-bundle.js']) expect(firstRoute(ingress, docs)?.name, docs).toBe('web');
      for (const api of ['/api', '/api/v1/unknown', '/api/v2/posts', `${LOCAL_OBJECT_STORE.publicPrefix}/a/b`]) {
        const hit = firstRoute(ingress, api);
        expect(hit?.name, api).toBe('not-a-page');
        expect(JSON.parse(hit!.directResponse.body.string)).toMatchObject({ status: 404, title: 'Not Found' });
        expect(hit!.headers.response.set['content-type']).toBe('application/problem+json');
      }
      for (const s of SERVICES) for (const p of s.publicPrefixes) expect(firstRoute(ingress, `${p}/x`)?.name, p).toBe(s.name);
    });

    it('allows exactly CORS_ORIGINS on every ingress route', () => {
      const origins = authEnv.CORS_ORIGINS!.split(',').map((o) => o.trim());
      const ingress = of('VirtualService').find((v) => v.spec.gateways?.includes('agora/agora-gateway'))!;
      for (const route of serviceRoutes(ingress)) {
        expect(
          route.corsPolicy.allowOrigins.map((o: Doc) => o.exact),
          route.name,
        ).toEqual(origins);
      }
      // The web app is the API's own origin: no cross-origin reads of its pages.
      for (const route of ingress.spec.http.filter((r: Doc) => !serviceRoutes(ingress).includes(r)))
        expect(route.corsPolicy, route.name).toBeUndefined();
      expect(ingress.spec.hosts).toEqual(of('Gateway')[0]!.spec.servers[0].hosts);
    });

    it('uses only images that skaffold.yaml builds', () => {
      const profile = env.name === 'base' ? skaffold : skaffold.profiles.find((p: Doc) => p.name === env.name);
      const artifacts = new Set(profile.build.artifacts.map((a: Doc) => a.image));
      const paths = profile.manifests.kustomize.paths;
      // The dev profile also deploys observability/k8s (its hardening is checked in test/observability).
      expect(paths.slice(0, 2)).toEqual([env.services, env.istio]);
      expect(paths.slice(2)).toEqual(env.name === 'dev' ? ['observability/k8s'] : []);
      for (const w of [...of('Deployment'), ...of('StatefulSet')]) {
        for (const c of [...(w.spec.template.spec.initContainers ?? []), ...w.spec.template.spec.containers]) {
          if (c.image.startsWith('agora/')) expect(artifacts.has(c.image), c.image).toBe(true);
          else expect(c.image, 'third-party images are pinned by tag').toMatch(/^[a-z0-9./-]+:(v?\d[\w.-]*|RELEASE\.[\w.-]+)$/);
        }
      }
    });

    it('hardens every pod: non-root, read-only root (except dev sync), no privilege escalation, all caps dropped, probes, resources, scrape annotations', () => {
      for (const d of deployments) {
        const pod = d.spec.template;
        expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
        expect(pod.metadata.annotations['prometheus.io/scrape']).toBe('true');
        expect(pod.metadata.annotations['prometheus.io/path']).toBe('/metrics');
        for (const c of [...pod.spec.initContainers, ...pod.spec.containers]) {
          expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
          expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
          expect(c.securityContext.readOnlyRootFilesystem).toBe(!(env.name === 'dev' && c.name === d.metadata.name));
          expect(c.resources.requests.memory).toBeDefined();
        }
        const main = pod.spec.containers[0];
        expect(main.readinessProbe.httpGet.path).toBe('/healthz/ready');
        expect(main.livenessProbe.httpGet.path).toBe('/healthz/live');
        expect(pod.spec.initContainers[0].command).toEqual(['node', `services/${d.metadata.name}/dist/migrate.js`]);
      }
    });
  });
}
