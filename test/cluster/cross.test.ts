// Cross-checks between the rendered manifests, the Istio resources, the topology and skaffold.yaml.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { NEVER_ROUTED_PREFIXES, SERVICES, JWT_AUDIENCE, meshPrincipal, routeFor } from '../../mesh/src/topology.js';
import { ROOT, containerEnv, kustomize, type Doc } from './lib.js';

const ENVS = [
  { name: 'base', services: 'services/k8s/base', istio: 'istio/base' },
  { name: 'dev', services: 'services/k8s/overlays/dev', istio: 'istio/overlays/dev' },
  { name: 'prod', services: 'services/k8s/overlays/prod', istio: 'istio/overlays/prod' },
];
const skaffold = YAML.parse(readFileSync(path.join(ROOT, 'skaffold.yaml'), 'utf8'));

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
          for (const r of route.route) {
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
      for (const route of ingress.spec.http) {
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
        const hit = ingress.spec.http.some((r: Doc) => r.match.some((m: Doc) => m.uri.exact === p || (m.uri.prefix && p.startsWith(m.uri.prefix))));
        expect(hit, p).toBe(false);
        expect(routeFor(p)).toBeUndefined();
      }
    });

    it('allows exactly CORS_ORIGINS on every ingress route', () => {
      const origins = authEnv.CORS_ORIGINS!.split(',').map((o) => o.trim());
      const ingress = of('VirtualService').find((v) => v.spec.gateways?.includes('agora/agora-gateway'))!;
      for (const route of ingress.spec.http) {
        expect(
          route.corsPolicy.allowOrigins.map((o: Doc) => o.exact),
          route.name,
        ).toEqual(origins);
      }
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
