// skaffold.yaml validates against Skaffold's published schema (vendored subset, see schemas/README.md),
// and its profiles are consistent with each other and with the manifests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { kustomize, ROOT, type Doc } from './lib.js';
import { MIGRATE_DEADLINE_SECONDS } from '../../mesh/src/entrypoints.js';
import { SERVICE_NAMES } from '../../mesh/src/topology.js';

const VERSION = 'v4beta13';
const schema = JSON.parse(readFileSync(path.join(ROOT, `test/cluster/schemas/skaffold-${VERSION}.json`), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addKeyword('x-agora-trimmed');
const validate = ajv.compile(schema);
const text = readFileSync(path.join(ROOT, 'skaffold.yaml'), 'utf8');
const config = YAML.parse(text);
const SERVICES: string[] = [...SERVICE_NAMES];

function errors(doc: unknown): string {
  return validate(doc) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}

describe(`skaffold.yaml (skaffold/${VERSION})`, () => {
  it('validates against the schema', () => {
    expect(config.apiVersion).toBe(`skaffold/${VERSION}`);
    expect(errors(config)).toBe('');
  });

  it('rejects an unknown field, a wrong type and a mistyped builder key', () => {
    expect(errors({ ...config, deployy: {} })).toMatch(/must NOT have additional properties/);
    const badPort = structuredClone(config);
    badPort.portForward[0].localPort = 'eighty';
    expect(errors(badPort)).toMatch(/localPort must be integer/);
    const badDocker = structuredClone(config);
    badDocker.build.artifacts[0].docker.dockerFile = 'x';
    expect(errors(badDocker)).not.toBe('');
  });

  it('builds one image per service from the repository root with the one Dockerfile, then the web app, in every profile', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    for (const build of [config.build, ...config.profiles.map((p: Doc) => p.build)]) {
      // agora/web last: its first stages are the Dockerfile's, cached by the builds before it
      // (test/cluster/web.test.ts checks its artifact).
      expect(build.artifacts.map((a: Doc) => a.image)).toEqual([...SERVICES.map((s) => `agora/${s}`), 'agora/web']);
      // The classic builder, one build at a time (what test/images runs).
      expect(build.local.useBuildkit).toBe(false);
      expect(build.local.concurrency).toBe(1);
      for (const a of build.artifacts.filter((x: Doc) => x.image !== 'agora/web')) {
        const name = a.image.split('/')[1];
        expect(a.context).toBe('.');
        expect(a.docker.dockerfile).toBe('Dockerfile');
        expect(a.docker.buildArgs).toEqual({ SERVICE: name });
        expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${a.docker.target}$`, 'm'));
      }
    }
  });

  it('tolerates a pod still waiting for its migrate init container, for longer than migrate waits', () => {
    expect(config.deploy.tolerateFailuresUntilDeadline).toBe(true);
    expect(config.deploy.statusCheckDeadlineSeconds).toBeGreaterThan(MIGRATE_DEADLINE_SECONDS + 60);
  });

  it('dev: deploys every namespace and Service that it port-forwards (observability included)', () => {
    const dev = config.profiles.find((p: Doc) => p.name === 'dev');
    const paths: string[] = dev.manifests.kustomize.paths;
    expect(paths).toContain('observability/k8s');
    const rendered = paths.flatMap((p) => kustomize(p));
    const services = new Set(rendered.filter((d) => d.kind === 'Service').map((d) => `${d.metadata.namespace}/${d.metadata.name}`));
    for (const f of config.portForward as Doc[]) {
      if (f.namespace === 'istio-system') continue; // installed with Istio (istio/install), not by skaffold
      expect(services, `${f.namespace}/${f.resourceName}`).toContain(`${f.namespace}/${f.resourceName}`);
      const svc = rendered.find((d) => d.kind === 'Service' && d.metadata.name === f.resourceName && d.metadata.namespace === f.namespace)!;
      expect(svc.spec.ports.map((p: Doc) => p.port)).toContain(f.port);
    }
  });

  it('dev: auto-activated by `skaffold dev`, watch-mode target, syncs the TypeScript sources', () => {
    const dev = config.profiles.find((p: Doc) => p.name === 'dev');
    expect(dev.activation).toEqual([{ command: 'dev' }]);
    for (const a of dev.build.artifacts.filter((x: Doc) => x.image !== 'agora/web')) {
      const name = a.image.split('/')[1];
      expect(a.docker.target).toBe('dev');
      expect(a.sync.manual.map((r: Doc) => r.src)).toEqual([`services/${name}/src/**/*.ts`, 'mesh/src/**/*.ts']);
    }
  });

  it('patches profiles by name only: no JSON patch addresses an array index', () => {
    for (const p of config.profiles) expect(p.patches, p.name).toBeUndefined();
    expect(text).not.toMatch(/path:\s*\/\S*\/\d+/);
  });

  it('port-forwards the ingress gateway, Grafana and Jaeger', () => {
    const targets = config.portForward.map((f: Doc) => `${f.namespace}/${f.resourceName}`);
    expect(targets).toEqual(expect.arrayContaining(['istio-system/istio-ingressgateway', 'observability/grafana', 'observability/jaeger']));
  });
});
