// skaffold.yaml validates against Skaffold's published schema (vendored subset, see schemas/README.md),
// and its profiles are consistent with each other and with the manifests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ROOT, type Doc } from './lib.js';
import { SERVICE_NODE_FLAGS, SERVICE_PROCESS_ENV } from '../../tools/src/local/service-env.js';
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

  it('builds one image per service from the repository root with its Dockerfile, in every profile', () => {
    for (const build of [config.build, ...config.profiles.map((p: Doc) => p.build)]) {
      expect(build.artifacts.map((a: Doc) => a.image)).toEqual(SERVICES.map((s) => `agora/${s}`));
      for (const a of build.artifacts) {
        const name = a.image.split('/')[1];
        expect(a.context).toBe('.');
        expect(a.docker.dockerfile).toBe(`services/${name}/Dockerfile`);
        const dockerfile = readFileSync(path.join(ROOT, a.docker.dockerfile), 'utf8');
        expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${a.docker.target}$`, 'm'));
      }
    }
  });

  it('dev: auto-activated by `skaffold dev`, watch-mode target, syncs the TypeScript sources', () => {
    const dev = config.profiles.find((p: Doc) => p.name === 'dev');
    expect(dev.activation).toEqual([{ command: 'dev' }]);
    for (const a of dev.build.artifacts) {
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

describe('Dockerfiles', () => {
  for (const s of SERVICES) {
    it(`${s}: pinned node 20 bookworm-slim, non-root, production deps only, builds and runs the bundle`, () => {
      const f = readFileSync(path.join(ROOT, `services/${s}/Dockerfile`), 'utf8');
      expect(f).toMatch(/^ARG NODE_IMAGE=node:20\.\d+\.\d+-bookworm-slim$/m);
      expect(f).toMatch(/npm ci --omit=dev/);
      expect(f).toMatch(new RegExp(`--workspace=services/${s}`));
      const runtime = f.slice(f.indexOf('AS runtime'));
      expect(runtime).toMatch(/^USER 1000:1000$/m);
      expect(f).toContain(`RUN ./node_modules/.bin/tsc -b services/${s} && node scripts/bundle.mjs ${s}`);
      expect(runtime).toContain('--import=/app/mesh/dist/observability/register.bundle.mjs');
      // The same process settings as the local run and the bench (tools/src/local/services.ts).
      for (const [name, value] of Object.entries(SERVICE_PROCESS_ENV)) expect(runtime).toContain(`ENV ${name}=${value}`);
      for (const flag of SERVICE_NODE_FLAGS) expect(runtime).toContain(flag);
      expect(runtime).toContain(`CMD ["node", "services/${s}/dist/main.bundle.mjs"]`);
      expect(f.trimEnd().endsWith(runtime.trimEnd())).toBe(true); // runtime is the default (last) stage
    });
  }
});
