// Cluster defects of issue 16 that only show on a real cluster, checked offline on the rendered
// documents: retries, HPA ownership of the replica count, certificate issuance, the mesh's trust
// domain, and a dev overlay that needs nothing outside the cluster.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { MESH_TRUST_DOMAIN } from '../../mesh/src/auth/workload-identity.js';
import { KUSTOMIZATIONS, ROOT, kustomize, readYaml, type Doc } from './lib.js';

const rendered = Object.fromEntries(KUSTOMIZATIONS.map((k) => [k, kustomize(k)])) as Record<(typeof KUSTOMIZATIONS)[number], Doc[]>;

describe('retries', () => {
  const mesh = rendered['istio/base'];
  const drs = mesh.filter((d) => d.kind === 'DestinationRule');
  const routes = mesh.filter((d) => d.kind === 'VirtualService').flatMap((vs) => vs.spec.http.map((r: Doc) => ({ vs: vs.metadata.name, ...r })));

  it('every route retries per request, writes only when the request never reached a pod', () => {
    for (const r of routes) {
      if (r.redirect || r.directResponse) continue; // answered by Envoy itself: nothing to retry
      expect(r.retries?.attempts, `${r.vs}/${r.name}`).toBeGreaterThanOrEqual(1);
      expect(r.retries.retryOn).toContain('connect-failure');
      const readOnly = r.match?.every((m: Doc) => m.method?.exact === 'GET');
      if (!readOnly)
        expect(r.retries.retryOn.split(','), `${r.vs}/${r.name} retries a write that may have run`).not.toEqual(expect.arrayContaining(['5xx']));
    }
  });

  it("no DestinationRule's cluster-wide retry cap drops them: maxRetries is 5–25 % of the request cap", () => {
    expect(drs.length).toBeGreaterThan(0);
    for (const dr of drs) {
      const http = dr.spec.trafficPolicy.connectionPool.http;
      expect(http.maxRetries, dr.metadata.name).toBeGreaterThanOrEqual(0.05 * http.http2MaxRequests);
      expect(http.maxRetries, dr.metadata.name).toBeLessThanOrEqual(0.25 * http.http2MaxRequests);
    }
  });
});

describe('replica counts', () => {
  it('no Deployment that an HPA scales sets replicas (every apply would reset the HPA)', () => {
    for (const k of KUSTOMIZATIONS) {
      const docs = rendered[k];
      const scaled = new Set(
        docs.filter((d) => d.kind === 'HorizontalPodAutoscaler').map((h) => `${h.metadata.namespace}/${h.spec.scaleTargetRef.name}`),
      );
      for (const d of docs.filter((x) => x.kind === 'Deployment')) {
        if (scaled.has(`${d.metadata.namespace}/${d.metadata.name}`)) expect(d.spec.replicas, `${k}: ${d.metadata.name}`).toBeUndefined();
      }
    }
  });
});

describe('the gateway certificate', () => {
  it('is issued through DNS-01 while port 80 only redirects (an HTTP-01 challenge would be redirected)', () => {
    const gateway = rendered['istio/overlays/prod'].find((d) => d.kind === 'Gateway')!;
    const port80 = gateway.spec.servers.find((s: Doc) => s.port.number === 80);
    const cert = rendered['istio/overlays/prod'].find((d) => d.kind === 'Certificate')!;
    const [issuer] = readYaml('istio/cert-manager/cluster-issuer.yaml');
    expect(cert.spec.issuerRef).toMatchObject({ kind: 'ClusterIssuer', name: issuer!.metadata.name });
    const solvers: Doc[] = issuer!.spec.acme.solvers;
    expect(solvers.length).toBeGreaterThan(0);
    if (port80?.tls?.httpsRedirect) for (const s of solvers) expect(Object.keys(s).filter((k) => k !== 'selector')).toEqual(['dns01']);
    for (const s of solvers)
      for (const zone of s.selector?.dnsZones ?? []) expect(cert.spec.dnsNames.every((n: string) => n.endsWith(zone))).toBe(true);
  });
});

describe('trust domain', () => {
  it('the services accept XFCC from the trust domain the mesh is installed with', () => {
    const operator = YAML.parse(readFileSync(path.join(ROOT, 'istio/install/istio-operator.yaml'), 'utf8'));
    expect(operator.spec.meshConfig?.trustDomain ?? 'cluster.local').toBe(MESH_TRUST_DOMAIN);
  });
});

describe('the dev overlay needs nothing outside the cluster', () => {
  const dev = rendered['services/k8s/overlays/dev'];
  const configs = (name: string) => dev.find((d) => d.kind === 'ConfigMap' && d.metadata.name.startsWith(`${name}-config`))!.data;
  const inCluster = (url: string) => new URL(url).hostname.endsWith('.svc.cluster.local') || !new URL(url).hostname.includes('.');
  const serviceNames = new Set(dev.filter((d) => d.kind === 'Service').map((d) => d.metadata.name));

  it('media stores bytes in the in-cluster MinIO', () => {
    const media = configs('media');
    expect(media.MEDIA_STORE).toBe('s3');
    expect(inCluster(media.S3_ENDPOINT), media.S3_ENDPOINT).toBe(true);
    expect(serviceNames).toContain(new URL(media.S3_ENDPOINT).hostname.split('.')[0]);
    expect(media.S3_FORCE_PATH_STYLE).toBe('true');
  });

  it('auth sends mail to the in-cluster Mailpit', () => {
    const auth = dev.find((d) => d.kind === 'Deployment' && d.metadata.name === 'auth')!;
    const env: Doc[] = auth.spec.template.spec.containers[0].env;
    const smtp = env.find((e) => e.name === 'SMTP_URL')!;
    expect(smtp.value, 'a plain value: the catcher needs no credentials').toBeDefined();
    expect(inCluster(smtp.value.replace(/^smtp:/, 'http:'))).toBe(true);
    expect(serviceNames).toContain(new URL(smtp.value.replace(/^smtp:/, 'http:')).hostname.split('.')[0]);
  });

  it('MinIO and Mailpit run hardened like the services: own ServiceAccount, non-root, read-only root, no capabilities, probes', () => {
    for (const name of ['minio', 'mailpit']) {
      const w = dev.find((d) => ['Deployment', 'StatefulSet'].includes(d.kind) && d.metadata.name === name);
      expect(w, name).toBeDefined();
      const pod = w!.spec.template.spec;
      expect(pod.serviceAccountName).toBe(name);
      expect(dev.some((d) => d.kind === 'ServiceAccount' && d.metadata.name === name)).toBe(true);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.seccompProfile.type).toBe('RuntimeDefault');
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(c.readinessProbe, `${name}/${c.name}`).toBeDefined();
        expect(c.resources.limits.memory).toBeDefined();
      }
    }
  });
});
