// Shared helpers of the offline cluster checks: render kustomizations with the pinned kubectl,
// validate every document against its real schema (kubernetes-models, @kubernetes-models/istio),
// and small models of what Istio does with paths and policies.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const KUBECTL = path.join(ROOT, '.tools/bin/kubectl');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = Record<string, any>;

/** The kustomizations that skaffold.yaml deploys, base and overlays. */
export const KUSTOMIZATIONS = [
  'services/k8s/base',
  'services/k8s/overlays/dev',
  'services/k8s/overlays/prod',
  'istio/base',
  'istio/overlays/dev',
  'istio/overlays/prod',
] as const;

/**
 * Installs .tools/bin/kubectl (kubectl 1.35 with kustomize v5.7, scripts/install-tools.sh) when it is
 * missing or an older one (Debian's 1.20 with kustomize v2.0.3) is still there from an earlier run.
 */
export function ensureKubectl(): string {
  const current = () =>
    existsSync(KUBECTL) && /Kustomize Version: v5\./.test(spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).stdout ?? '');
  if (!current()) {
    const r = spawnSync('bash', [path.join(ROOT, 'scripts/install-tools.sh')], { encoding: 'utf8' });
    if (!current()) {
      throw new Error(`${KUBECTL} (kustomize v5) is missing and scripts/install-tools.sh could not install it:\n${r.stderr}`);
    }
  }
  return KUBECTL;
}

/** A newer kubectl on PATH (with its own kustomize), if there is one; never required. */
export function pathKubectl(): string | undefined {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (r.status !== 0 || /v1\.20\./.test(r.stdout)) return undefined;
  return 'kubectl';
}

export function kustomize(dir: string, kubectl = ensureKubectl()): Doc[] {
  const out = execFileSync(kubectl, ['kustomize', path.join(ROOT, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAll(out);
}

export function parseAll(text: string): Doc[] {
  return YAML.parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('\n'));
      return d.toJS() as Doc;
    })
    .filter((d) => d !== null && d !== undefined);
}

export function readYaml(rel: string): Doc[] {
  return parseAll(readFileSync(path.join(ROOT, rel), 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// Schema validation.
const require = createRequire(import.meta.url);
const validateModule = require('@kubernetes-models/validate') as { register: (id: string, schema: unknown) => void };
const capturedSchemas = new Map<string, Doc>();
const originalRegister = validateModule.register;
// The Istio models register their CRD schema (JSON) on first use: keep a copy so that unknown fields,
// which the models' own validation lets through, can be reported like `kubectl apply` (strict field
// validation) would.
validateModule.register = (id: string, schema: unknown) => {
  capturedSchemas.set(id, schema as Doc);
  originalRegister(id, schema);
};

type ModelClass = new (data: Doc) => { validate(): void };
const MODELS: Record<string, [module: string, exportName: string]> = {
  'v1/ServiceAccount': ['kubernetes-models/v1/ServiceAccount', 'ServiceAccount'],
  'v1/Service': ['kubernetes-models/v1/Service', 'Service'],
  'v1/ConfigMap': ['kubernetes-models/v1/ConfigMap', 'ConfigMap'],
  'v1/Secret': ['kubernetes-models/v1/Secret', 'Secret'],
  'apps/v1/Deployment': ['kubernetes-models/apps/v1/Deployment', 'Deployment'],
  'apps/v1/StatefulSet': ['kubernetes-models/apps/v1/StatefulSet', 'StatefulSet'],
  'batch/v1/Job': ['kubernetes-models/batch/v1/Job', 'Job'],
  'autoscaling/v2/HorizontalPodAutoscaler': ['kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler', 'HorizontalPodAutoscaler'],
  'policy/v1/PodDisruptionBudget': ['kubernetes-models/policy/v1/PodDisruptionBudget', 'PodDisruptionBudget'],
  'networking.istio.io/v1beta1/Gateway': ['@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway', 'Gateway'],
  'networking.istio.io/v1beta1/VirtualService': ['@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService', 'VirtualService'],
  'networking.istio.io/v1beta1/DestinationRule': ['@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule', 'DestinationRule'],
  'security.istio.io/v1/AuthorizationPolicy': ['@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy', 'AuthorizationPolicy'],
  'security.istio.io/v1/RequestAuthentication': ['@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication', 'RequestAuthentication'],
  'security.istio.io/v1beta1/PeerAuthentication': ['@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication', 'PeerAuthentication'],
  'telemetry.istio.io/v1alpha1/Telemetry': ['@kubernetes-models/istio/telemetry.istio.io/v1alpha1/Telemetry', 'Telemetry'],
  'install.istio.io/v1alpha1/IstioOperator': ['@kubernetes-models/istio/install.istio.io/v1alpha1/IstioOperator', 'IstioOperator'],
};

/**
 * cert-manager is neither in kubernetes-models nor in @kubernetes-models/istio: this is the part of
 * its `cert-manager.io/v1` Certificate CRD (openAPIV3Schema of spec) that the prod overlay uses,
 * field names and types as the CRD defines them, with unknown fields rejected.
 */
const CERTIFICATE_SPEC = {
  type: 'object',
  required: ['issuerRef', 'secretName'],
  additionalProperties: false,
  properties: {
    commonName: { type: 'string' },
    dnsNames: { type: 'array', items: { type: 'string' } },
    duration: { type: 'string' },
    renewBefore: { type: 'string' },
    secretName: { type: 'string' },
    issuerRef: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { group: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' } },
    },
    privateKey: {
      type: 'object',
      additionalProperties: false,
      properties: {
        algorithm: { enum: ['RSA', 'ECDSA', 'Ed25519'] },
        encoding: { enum: ['PKCS1', 'PKCS8'] },
        rotationPolicy: { enum: ['Never', 'Always'] },
        size: { type: 'integer' },
      },
    },
  },
};

export function keyOf(doc: Doc): string {
  return `${doc.apiVersion}/${doc.kind}`;
}

/** Properties of `data` that `schema` does not define (recursing like a structural CRD schema). */
export function unknownFields(schema: Doc | undefined, data: unknown, where: string, out: string[] = []): string[] {
  if (!schema || data === null || typeof data !== 'object') return out;
  if (Array.isArray(data)) {
    if (schema.items) data.forEach((d, i) => unknownFields(schema.items, d, `${where}[${i}]`, out));
    return out;
  }
  if (schema['x-kubernetes-preserve-unknown-fields']) return out;
  const props: Doc = { ...(schema.properties ?? {}) };
  for (const k of ['oneOf', 'anyOf', 'allOf']) for (const s of schema[k] ?? []) Object.assign(props, s.properties ?? {});
  const extra = schema.additionalProperties;
  if (!Object.keys(props).length && !extra) return out;
  for (const [k, v] of Object.entries(data as Doc)) {
    if (props[k]) unknownFields(props[k], v, `${where}.${k}`, out);
    else if (extra && typeof extra === 'object') unknownFields(extra, v, `${where}.${k}`, out);
    else if (extra !== true) out.push(`${where}.${k}`);
  }
  return out;
}

function validateAgainst(schema: Doc, data: unknown, where: string): string[] {
  const errors: string[] = [];
  const walk = (s: Doc, d: unknown, w: string) => {
    if (s.enum && !s.enum.includes(d)) errors.push(`${w}: must be one of ${s.enum.join(', ')}`);
    if (s.type === 'string' && typeof d !== 'string') errors.push(`${w}: must be a string`);
    if (s.type === 'integer' && !Number.isInteger(d)) errors.push(`${w}: must be an integer`);
    if (s.type === 'array') {
      if (!Array.isArray(d)) errors.push(`${w}: must be an array`);
      else d.forEach((x, i) => walk(s.items, x, `${w}[${i}]`));
    }
    if (s.type === 'object') {
      if (!d || typeof d !== 'object' || Array.isArray(d)) return errors.push(`${w}: must be an object`);
      for (const r of s.required ?? []) if (!(r in (d as Doc))) errors.push(`${w}.${r}: required`);
      for (const [k, v] of Object.entries(d as Doc)) {
        if (s.properties?.[k]) walk(s.properties[k], v, `${w}.${k}`);
        else if (s.additionalProperties === false) errors.push(`${w}.${k}: unknown field`);
      }
    }
    return undefined;
  };
  walk(schema, data, where);
  return errors;
}

/** Validates one document against its real schema; returns the problems (empty when valid). */
export function validateDoc(doc: Doc): string[] {
  const name = `${doc?.kind}/${doc?.metadata?.name}`;
  if (!doc?.apiVersion || !doc?.kind) return [`${name}: apiVersion and kind are required`];
  if (doc.apiVersion === 'cert-manager.io/v1' && doc.kind === 'Certificate') {
    const problems = validateAgainst(CERTIFICATE_SPEC, doc.spec, `${name} spec`);
    if (!doc.metadata?.name) problems.push(`${name}: metadata.name is required`);
    return problems;
  }
  const entry = MODELS[keyOf(doc)];
  if (!entry) return [`${name}: no schema known for ${keyOf(doc)} (add the model to test/cluster/lib.ts)`];
  const Model = (require(entry[0]) as Record<string, ModelClass>)[entry[1]]!;
  try {
    new Model(doc).validate();
  } catch (e) {
    return [`${name}: ${(e as Error).message}`];
  }
  const [group, version] = doc.apiVersion.includes('/') ? doc.apiVersion.split('/') : ['', doc.apiVersion];
  const schema = capturedSchemas.get(`${group}.${version}.${doc.kind}`);
  if (schema && doc.spec !== undefined) {
    return unknownFields(schema.properties?.spec, doc.spec, `${name} spec`).map((f) => `${f}: unknown field`);
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Rendered-manifest helpers.

/** The environment a Deployment's container gets from plain values and ConfigMaps (not Secrets). */
export function containerEnv(docs: Doc[], deployment: Doc, container: string): Record<string, string> {
  const c = deployment.spec.template.spec.containers.find((x: Doc) => x.name === container);
  if (!c) throw new Error(`no container ${container} in ${deployment.metadata.name}`);
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    if (!from.configMapRef) continue;
    const cm = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === from.configMapRef.name);
    if (!cm) throw new Error(`${deployment.metadata.name}: ConfigMap ${from.configMapRef.name} is not rendered`);
    Object.assign(env, cm.data);
  }
  for (const e of c.env ?? []) if (typeof e.value === 'string') env[e.name] = e.value;
  return env;
}

// ---------------------------------------------------------------------------------------------
// A model of Istio's AuthorizationPolicy matching (paths: exact, `prefix*`, `*suffix`, `*`, and the
// 1.22+ templates `{*}` = one segment, `{**}` = the rest).

export function istioPathMatches(pattern: string, p: string): boolean {
  if (pattern.includes('{')) {
    const a = pattern.split('/');
    const b = p.split('/');
    for (let i = 0; i < a.length; i += 1) {
      if (a[i] === '{**}') return b.length > i && b.slice(i).every((s) => s !== '');
      if (i >= b.length) return false;
      if (a[i] === '{*}' ? b[i] === '' : a[i] !== b[i]) return false;
    }
    return a.length === b.length;
  }
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return p.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return p.endsWith(pattern.slice(1));
  return pattern === p;
}

export function operationMatches(operation: Doc, method: string, p: string): boolean {
  if (operation.methods && !operation.methods.includes(method)) return false;
  if (operation.notMethods?.includes(method)) return false;
  if (operation.paths && !operation.paths.some((x: string) => istioPathMatches(x, p))) return false;
  if (operation.notPaths?.some((x: string) => istioPathMatches(x, p))) return false;
  return true;
}

/** Does a rule's `to` accept the request (identity parts, `from`/`when`, are checked separately)? */
export function ruleTargets(rule: Doc, method: string, p: string): boolean {
  if (!rule.to) return true;
  return rule.to.some((t: Doc) => operationMatches(t.operation ?? {}, method, p));
}

/** A concrete request path for an OpenAPI path template. */
export function samplePath(template: string): string {
  return template.replace(/\{[^}]+\}/g, (m) => `sample-${m.slice(1, -1).toLowerCase()}-7f3a`);
}
