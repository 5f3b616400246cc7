/**
 * scripts/generate/istio-routing.mjs follows the topology: a service added to it gets its ingress
 * route (only when it has public prefixes), its workload's RequestAuthentication and its
 * DestinationRule, with nothing else to edit. (test/generated-files.test.ts checks that the
 * committed copies are current; cross.test.ts compares them with the topology.)
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { renderRouting } from '../../scripts/generate/istio-routing.mjs';
import { NAMESPACE, SERVICES } from '../../mesh/src/topology.js';
import { parseAll, validateDoc, type Doc } from './lib.js';

const SETTINGS = {
  namespace: NAMESPACE,
  issuer: 'https://issuer.test',
  audience: 'aud-test',
  jwksUri: 'http://auth.test/.well-known/jwks.json',
  corsOrigins: ['https://one.test', 'https://two.test'],
};
const EXTRA = [
  { name: 'search', localPort: 4999, publicPrefixes: ['/api/v1/search'], database: 'agora_search' },
  { name: 'mailer', localPort: 4998, publicPrefixes: [], database: 'agora_mailer' },
];

function renderWith(services: readonly unknown[]): Record<string, Doc[]> {
  const files = renderRouting({ ...SETTINGS, services }) as Record<string, string>;
  return Object.fromEntries(Object.entries(files).map(([file, text]) => [file, parseAll(text)]));
}

describe('istio-routing generator', () => {
  const docs = renderWith([...SERVICES, ...EXTRA]);
  const ingress = docs['istio/base/ingress-virtualservice.yaml']!;
  const auth = docs['istio/base/requestauthentication.yaml']!;
  const rules = docs['istio/base/destinationrules.yaml']!;

  it('renders documents that validate against the Istio schemas', () => {
    for (const doc of [...ingress, ...auth, ...rules]) expect(validateDoc(doc), `${doc.kind} ${doc.metadata?.name}`).toEqual([]);
  });

  it('routes a new public service and only public ones', () => {
    const routes = ingress[0]!.spec.http as Doc[];
    expect(routes.map((r) => r.name)).toEqual([
      ...SERVICES.filter((s) => s.publicPrefixes.length).flatMap((s) => [...(s.streamPaths?.length ? [`${s.name}-stream`] : []), s.name]),
      'search',
    ]);
    const search = routes.find((r) => r.name === 'search')!;
    expect(search.match).toEqual([{ uri: { exact: '/api/v1/search' } }, { uri: { prefix: '/api/v1/search/' } }]);
    expect(search.route[0].destination.host).toBe(`search.${NAMESPACE}.svc.cluster.local`);
    expect(search.corsPolicy.allowOrigins).toEqual([{ exact: 'https://one.test' }, { exact: 'https://two.test' }]);
  });

  it('gives a stream path its own route first, without a request timeout or a per-try timeout', () => {
    const routes = ingress[0]!.spec.http as Doc[];
    const streaming = SERVICES.filter((s) => s.streamPaths?.length);
    expect(streaming.map((s) => s.name)).toContain('notifications');
    for (const s of streaming) {
      const i = routes.findIndex((r) => r.name === `${s.name}-stream`);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i).toBeLessThan(routes.findIndex((r) => r.name === s.name));
      expect(routes[i]!.match).toEqual(s.streamPaths!.map((p) => ({ uri: { exact: p } })));
      expect(routes[i]!.timeout).toBe('0s');
      expect(routes[i]!.retries.perTryTimeout).toBeUndefined();
    }
    for (const r of routes.filter((r) => !r.name.endsWith('-stream'))) expect(r.timeout, r.name).toBe('15s');
  });

  it('gives every service, public or not, a token check and a traffic policy', () => {
    const names = [...SERVICES, ...EXTRA].map((s) => s.name);
    expect(auth.map((d) => d.metadata.name)).toEqual(['agora-jwt', ...names.map((n) => `${n}-jwt`)]);
    expect(auth.find((d) => d.metadata.name === 'mailer-jwt')!.spec).toMatchObject({
      selector: { matchLabels: { app: 'mailer' } },
      jwtRules: [{ issuer: SETTINGS.issuer, jwksUri: SETTINGS.jwksUri, audiences: [SETTINGS.audience], forwardOriginalToken: true }],
    });
    expect(rules.map((d) => d.spec.host)).toEqual(names.map((n) => `${n}.${NAMESPACE}.svc.cluster.local`));
  });

  it('with the web app: a 404 for what is no page, then `/` to the web Service, both valid against the Istio schema', () => {
    const files = renderRouting({ ...SETTINGS, services: SERVICES, web: { name: 'web', port: 80, notPages: ['/api', '/internal'] } }) as Record<
      string,
      string
    >;
    const [vs] = parseAll(files['istio/base/ingress-virtualservice.yaml']!);
    expect(validateDoc(vs!)).toEqual([]);
    const routes = vs!.spec.http as Doc[];
    const serviceRoutes = SERVICES.filter((s) => s.publicPrefixes.length).flatMap((s) => [
      ...(s.streamPaths?.length ? [`${s.name}-stream`] : []),
      s.name,
    ]);
    expect(routes.map((r) => r.name)).toEqual([...serviceRoutes, 'not-a-page', 'web']);
    const [notAPage, web] = routes.slice(-2) as [Doc, Doc];
    expect(notAPage.match).toEqual([
      { uri: { exact: '/api' } },
      { uri: { prefix: '/api/' } },
      { uri: { exact: '/internal' } },
      { uri: { prefix: '/internal/' } },
    ]);
    expect(notAPage.directResponse.status).toBe(404);
    expect(notAPage.route).toBeUndefined();
    expect(web.match).toEqual([{ uri: { prefix: '/' } }]);
    expect(web.route).toEqual([{ destination: { host: `web.${NAMESPACE}.svc.cluster.local`, port: { number: 80 } } }]);
    expect(web.corsPolicy).toBeUndefined();
  });
});
