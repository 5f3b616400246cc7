// Every Kubernetes and Istio document renders with kustomize and validates against its real schema.
import { describe, expect, it } from 'vitest';
import { KUSTOMIZATIONS, ensureKubectl, kustomize, parseAll, pathKubectl, readYaml, validateDoc, type Doc } from './lib.js';

const rendered = new Map<string, Doc[]>();
const renderedWith = (dir: string) => {
  if (!rendered.has(dir)) rendered.set(dir, kustomize(dir));
  return rendered.get(dir)!;
};

describe('kustomize (kubectl 1.20 / kustomize v2.0.3 from scripts/install-tools.sh)', () => {
  it('is installed', () => {
    expect(ensureKubectl()).toMatch(/\.tools\/bin\/kubectl$/);
  });

  for (const dir of KUSTOMIZATIONS) {
    it(`renders ${dir} into valid documents`, () => {
      const docs = renderedWith(dir);
      expect(docs.length).toBeGreaterThan(5);
      const problems = docs.flatMap(validateDoc);
      expect(problems).toEqual([]);
    });
  }

  const modern = pathKubectl();
  it.skipIf(!modern)('a newer kubectl on PATH renders the same objects (generator hash suffixes and empty maps aside)', () => {
    const norm = (docs: Doc[]) =>
      docs
        .map((d) =>
          JSON.stringify(d, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length ? undefined : v)).replace(
            /-config-[a-z0-9]{10}\b|-init-[a-z0-9]{10}\b/g,
            '-HASH',
          ),
        )
        .sort();
    for (const dir of KUSTOMIZATIONS) {
      expect(norm(kustomize(dir, modern!)), dir).toEqual(norm(renderedWith(dir)));
    }
  });

  it('the Istio install values validate', () => {
    const [operator] = readYaml('istio/install/istio-operator.yaml');
    expect(validateDoc(operator!)).toEqual([]);
    // The IstioOperator schema leaves spec open: check the settings the README relies on.
    expect(operator!.spec.values.pilot.env.PILOT_JWT_ENABLE_REMOTE_JWKS).toBe('envoy');
    expect(operator!.spec.values.pilot.env.ENABLE_NATIVE_SIDECARS).toBe('true');
    expect(operator!.spec.meshConfig.extensionProviders.map((p: Doc) => p.name)).toContain('otel-tracing');
  });
});

describe('the validators reject broken documents', () => {
  const deployment = () => structuredClone(renderedWith('services/k8s/base').find((d) => d.kind === 'Deployment')!);

  it('a Deployment with replicas: "two"', () => {
    const d = deployment();
    d.spec.replicas = 'two';
    expect(validateDoc(d).join('\n')).toMatch(/replicas must be integer/);
  });

  it('a VirtualService with an unknown field (which the model alone would accept)', () => {
    const vs = structuredClone(renderedWith('istio/base').find((d) => d.kind === 'VirtualService')!);
    vs.spec.http[0].timout = '5s';
    expect(validateDoc(vs).join('\n')).toMatch(/http\[0\]\.timout: unknown field/);
  });

  it('an AuthorizationPolicy with an invalid action', () => {
    const [ap] = parseAll('apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: x}\nspec: {action: PERMIT}\n');
    expect(validateDoc(ap!)).not.toEqual([]);
  });

  it('a Certificate without secretName and with a typo', () => {
    const cert = structuredClone(renderedWith('istio/overlays/prod').find((d) => d.kind === 'Certificate')!);
    delete cert.spec.secretName;
    cert.spec.dnsName = ['x'];
    expect(validateDoc(cert).join('\n')).toMatch(/secretName: required[\s\S]*dnsName: unknown field/);
  });

  it('a kind no schema is known for', () => {
    expect(validateDoc({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })[0]).toMatch(/no schema known/);
  });
});
