// The web app in the cluster (web/k8s, issue 13): in every overlay, hardened like the services, its
// own ServiceAccount, reachable only from the ingress gateway and only to read, built by every
// skaffold profile (with file sync of web/src in dev). The Gateway's routing is in cross.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ROOT, kustomize, validateDoc, type Doc } from './lib.js';

const ENVS = ['services/k8s/base', 'services/k8s/overlays/dev', 'services/k8s/overlays/prod'];
const GATEWAY = 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';
const skaffold = YAML.parse(readFileSync(path.join(ROOT, 'skaffold.yaml'), 'utf8'));

for (const dir of ENVS) {
  describe(`web app: ${dir}`, () => {
    const docs = kustomize(dir);
    const web = (kind: string) => docs.filter((d) => d.kind === kind && d.metadata.labels?.app === 'web');
    const dev = dir.endsWith('/dev');

    it('has a Deployment, a Service on port 80, its own ServiceAccount and an AuthorizationPolicy, in namespace agora, all valid', () => {
      for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'AuthorizationPolicy']) {
        expect(web(kind), kind).toHaveLength(1);
        expect(web(kind)[0]!.metadata.namespace, kind).toBe('agora');
        expect(validateDoc(web(kind)[0]!), kind).toEqual([]);
      }
      expect(web('Service')[0]!.spec.ports.map((p: Doc) => [p.port, p.targetPort])).toEqual([[80, 'http']]);
    });

    it('runs non-root as its own ServiceAccount without a token, with probes and resources; read-only root except under dev sync', () => {
      const d = web('Deployment')[0]!;
      const pod = d.spec.template.spec;
      expect(pod.serviceAccountName).toBe('web');
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(web('ServiceAccount')[0]!.metadata.name).toBe('web');
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.containers).toHaveLength(1);
      const c = pod.containers[0];
      expect(c.image).toBe('agora/web');
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(c.securityContext.readOnlyRootFilesystem).toBe(!dev);
      expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz/ready', port: 'http' });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz/live', port: 'http' });
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.requests.memory).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
      expect(d.spec.replicas).toBe(dev ? 1 : 2);
    });

    it("allows in the CSP's img-src exactly the origin of media's presigned URLs", () => {
      const media = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'media')!;
      const config: Record<string, string> = {};
      for (const from of media.spec.template.spec.containers[0].envFrom ?? [])
        Object.assign(config, docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === from.configMapRef.name)?.data ?? {});
      const endpoint = new URL(config.S3_ENDPOINT!);
      // Path-style URLs live on the endpoint's origin; virtual-hosted ones on the bucket's host.
      const expected = config.S3_FORCE_PATH_STYLE === 'true' ? endpoint.origin : `${endpoint.protocol}//${config.S3_BUCKET}.${endpoint.host}`;
      const env = web('Deployment')[0]!.spec.template.spec.containers[0].env as Doc[];
      expect(env.find((e) => e.name === 'WEB_IMAGE_ORIGINS')?.value).toBe(expected);
    });

    it('admits only the ingress gateway, and only to read', () => {
      const [policy] = web('AuthorizationPolicy');
      expect(policy!.spec.action).toBe('ALLOW');
      expect(policy!.spec.selector).toEqual({ matchLabels: { app: 'web' } });
      expect(policy!.spec.rules).toHaveLength(1);
      const [rule] = policy!.spec.rules;
      expect(rule.from).toEqual([{ source: { principals: [GATEWAY] } }]);
      expect(rule.to).toEqual([{ operation: { methods: ['GET', 'HEAD'] } }]);
      // Nothing else in the namespace allows anything to the web pods.
      const others = docs.filter((p) => p.kind === 'AuthorizationPolicy' && p !== policy && p.spec.selector?.matchLabels?.app === 'web');
      expect(others).toEqual([]);
    });
  });
}

describe('web app: skaffold.yaml', () => {
  const profiles: [string, Doc][] = [['default', skaffold], ...skaffold.profiles.map((p: Doc) => [p.name, p] as [string, Doc])];

  it('every profile builds agora/web from web/Dockerfile: the runtime target, or dev with web/src synced in dev', () => {
    for (const [name, profile] of profiles) {
      const artifact = profile.build.artifacts.find((a: Doc) => a.image === 'agora/web');
      expect(artifact, name).toBeDefined();
      expect(artifact.context, name).toBe('.');
      expect(artifact.docker.dockerfile, name).toBe('web/Dockerfile');
      expect(artifact.docker.target, name).toBe(name === 'dev' ? 'dev' : 'runtime');
      if (name === 'dev') expect(artifact.sync).toEqual({ manual: [{ src: 'web/src/**/*', dest: '/app' }] });
      else expect(artifact.sync, name).toBeUndefined();
    }
  });

  it("the web Dockerfile's dev and runtime targets exist (skaffold builds them by name)", () => {
    const text = readFileSync(path.join(ROOT, 'web/Dockerfile'), 'utf8');
    expect(text).toMatch(/^FROM \S+ AS dev$/m);
    expect(text).toMatch(/^FROM \S+ AS runtime$/m);
  });
});
