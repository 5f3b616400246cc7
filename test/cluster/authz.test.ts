// The AuthorizationPolicies generated from the OpenAPI contracts: every operation is covered by
// exactly one ALLOW rule that grants exactly its security class, the DENY covers exactly the
// operations that need a user, the committed YAML is what the generator renders now.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
// @ts-expect-error plain ESM module without type declarations
import * as generator from '../../scripts/generate/istio-policies.mjs';
import { ROOT, ruleTargets, samplePath, parseAll, validateDoc, type Doc } from './lib.js';
import { SERVICE_NAMES } from '../../mesh/src/topology.js';

const FIXTURES = 'test/cluster/fixtures/openapi';
const SERVICES: string[] = [...SERVICE_NAMES];
const OPTIONS = { services: SERVICES, namespace: 'agora', issuer: 'https://issuer.test' };
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface Expected {
  method: string;
  path: string;
  id: string;
  security: Doc;
}

/** Reads an OpenAPI document independently of the generator (the oracle of these tests). */
function expectedOperations(doc: Doc): Expected[] {
  const url = doc.servers?.[0]?.url;
  const base = url ? new URL(url, 'http://x').pathname.replace(/\/+$/, '') : '';
  const ops: Expected[] = [];
  for (const [p, item] of Object.entries<Doc>(doc.paths ?? {})) {
    for (const m of METHODS) {
      if (!item[m]) continue;
      ops.push({ method: m.toUpperCase(), path: `${base}${p}`, id: item[m].operationId, security: item[m].security ?? doc.security ?? [] });
    }
  }
  ops.push(
    { method: 'GET', path: '/healthz/live', id: 'probe', security: [] },
    { method: 'GET', path: '/healthz/ready', id: 'probe', security: [] },
    { method: 'GET', path: '/metrics', id: 'scrape', security: [{ scrape: [] }] },
  );
  return ops;
}

/** Problems of one workload's policies against its contract; empty when everything holds. */
function coverageProblems(doc: Doc, policies: Doc[], issuer: string, namespace = 'agora'): string[] {
  const problems: string[] = [];
  const allow = policies.find((p) => p.spec.action === 'ALLOW');
  const deny = policies.find((p) => p.spec.action === 'DENY');
  if (!allow) return ['no ALLOW policy'];
  for (const op of expectedOperations(doc)) {
    const where = `${op.method} ${op.path} (${op.id})`;
    const req = samplePath(op.path);
    const rules = allow.spec.rules.filter((r: Doc) => ruleTargets(r, op.method, req));
    if (rules.length !== 1) {
      problems.push(`${where}: ${rules.length} matching ALLOW rules`);
      continue;
    }
    const rule = rules[0];
    const sec = op.security;
    const jwtOnly = sec.length > 0 && sec.every((s: Doc) => 'jwt' in s);
    const wantFrom = (() => {
      // Public, or a token optional (`[{"jwt": []}, {}]`): anyone.
      if (sec.length === 0 || sec.some((s: Doc) => Object.keys(s).length === 0)) return undefined;
      if (sec[0].scrape) return [{ source: { namespaces: ['observability'] } }];
      return sec.map((s: Doc) =>
        'jwt' in s
          ? { source: { requestPrincipals: [`${issuer}/*`] } }
          : { source: { principals: s.mesh.map((c: string) => `cluster.local/ns/${namespace}/sa/${c}`) } },
      );
    })();
    expect.soft(rule.from, `${where}: sources`).toEqual(wantFrom);
    const roles = jwtOnly ? (sec[0].jwt as string[]) : [];
    const wantWhen = roles.length ? roles.map((r) => ({ key: 'request.auth.claims[roles]', values: [r] })) : undefined;
    if (JSON.stringify(rule.when) !== JSON.stringify(wantWhen)) problems.push(`${where}: conditions ${JSON.stringify(rule.when)}`);
    if (JSON.stringify(rule.from) !== JSON.stringify(wantFrom)) problems.push(`${where}: sources ${JSON.stringify(rule.from)}`);
    const denied =
      !!deny && deny.spec.rules.some((r: Doc) => ruleTargets(r, op.method, req) && r.from?.[0]?.source?.notRequestPrincipals?.[0] === '*');
    if (denied !== jwtOnly) problems.push(`${where}: tokenless requests ${denied ? 'denied' : 'not denied'}`);
  }
  return problems;
}

const load = (rel: string) => JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8'));

describe('policy generator on fixture contracts', async () => {
  const files: Record<string, string> = await generator.render(ROOT, { ...OPTIONS, openapiDir: FIXTURES });

  it('renders default-deny, one file per service contract and a kustomization; skips non-service documents', () => {
    expect(Object.keys(files).sort()).toEqual(
      ['istio/authz/default-deny.yaml', 'istio/authz/kustomization.yaml', 'istio/authz/posts.yaml', 'istio/authz/users.yaml'].sort(),
    );
    const k = YAML.parse(files['istio/authz/kustomization.yaml']!);
    expect(k.resources).toEqual(['default-deny.yaml', 'posts.yaml', 'users.yaml']);
    expect(files['istio/authz/kustomization.yaml']).toMatch(/without one.*: auth, media/);
    const [deny] = parseAll(files['istio/authz/default-deny.yaml']!);
    expect(deny!.spec).toEqual({});
  });

  for (const svc of ['users', 'posts']) {
    it(`${svc}: valid policies, exactly one matching ALLOW rule per operation with its class, DENY on exactly the user operations`, () => {
      const policies = parseAll(files[`istio/authz/${svc}.yaml`]!);
      expect(policies.flatMap(validateDoc)).toEqual([]);
      for (const p of policies) expect(p.spec.selector.matchLabels).toEqual({ app: svc });
      expect(coverageProblems(load(`${FIXTURES}/${svc}.json`), policies, OPTIONS.issuer)).toEqual([]);
    });
  }

  it('turns path parameters into one-segment templates, never * wildcards', () => {
    const text = files['istio/authz/users.yaml']!;
    expect(text).toContain('/api/v1/users/{*}/followers');
    const paths = parseAll(text).flatMap((p) =>
      p.spec.rules.flatMap((r: Doc) => r.to.flatMap((t: Doc) => [...t.operation.paths, ...(t.operation.notPaths ?? [])])),
    );
    expect(paths.length).toBeGreaterThan(10);
    for (const p of paths) expect(p.replaceAll('{*}', ''), p).not.toContain('*');
  });

  it('a policy missing an operation fails the coverage check', () => {
    const policies = parseAll(files['istio/authz/posts.yaml']!);
    const allow = policies.find((p) => p.spec.action === 'ALLOW')!;
    allow.spec.rules = allow.spec.rules.filter((r: Doc) => !r.to[0].operation.paths.includes('/api/v1/feed'));
    expect(coverageProblems(load(`${FIXTURES}/posts.json`), policies, OPTIONS.issuer)).toContain('GET /api/v1/feed (Feed): 0 matching ALLOW rules');
  });

  it('a rule with a prefix wildcard (matching deeper operations too) fails the coverage check', () => {
    const policies = parseAll(files['istio/authz/posts.yaml']!);
    const allow = policies.find((p) => p.spec.action === 'ALLOW')!;
    allow.spec.rules.push({ to: [{ operation: { methods: ['DELETE'], paths: ['/api/v1/posts/*'] } }] });
    expect(coverageProblems(load(`${FIXTURES}/posts.json`), policies, OPTIONS.issuer).join('\n')).toMatch(
      /DELETE \/api\/v1\/posts\/\{id\}\/comments\/\{commentId\} \(DeleteComment\): 2 matching ALLOW rules/,
    );
  });

  it('an admin operation whose rule lost its role condition fails the coverage check', () => {
    const policies = parseAll(files['istio/authz/users.yaml']!);
    const allow = policies.find((p) => p.spec.action === 'ALLOW')!;
    for (const r of allow.spec.rules) delete r.when;
    expect(coverageProblems(load(`${FIXTURES}/users.json`), policies, OPTIONS.issuer).join('\n')).toMatch(/DeleteUser\): conditions/);
  });

  it('rejects contracts it cannot express', () => {
    const base = { services: SERVICES, namespace: 'agora', where: 'x' };
    expect(() => generator.classify([{ oauth: [] }], base)).toThrow(/unknown security scheme "oauth"/);
    expect(() => generator.classify([{ mesh: ['billing'] }], base)).toThrow(/not a workload/);
    expect(() => generator.classify([{ jwt: ['admin'] }, { mesh: ['posts'] }], base)).toThrow(/cannot be combined/);
    expect(generator.classify([{ jwt: [] }, {}], base)).toEqual({ kind: 'optional' });
    expect(() => generator.classify([{ jwt: ['admin'] }, {}], base)).toThrow(/goes only with/);
    expect(() => generator.classify([{ mesh: ['posts'] }, {}], base)).toThrow(/goes only with/);
    expect(() => generator.toIstioPath('/files/{id}.png')).toThrow(/whole segments/);
    expect(() => generator.renderPolicies({ ...OPTIONS, docs: { users: { paths: { '/a/{x}': { get: {} }, '/a/{y}': { get: {} } } } } })).toThrow(
      /same route/,
    );
  });
});

describe('committed policies (istio/authz) from openapi/*.json', async () => {
  const files: Record<string, string> = await generator.render(ROOT);

  it('are what the generator renders now (run `npm run generate` when this fails)', () => {
    for (const [rel, content] of Object.entries(files)) {
      expect(existsSync(path.join(ROOT, rel)), `${rel} is missing`).toBe(true);
      expect(readFileSync(path.join(ROOT, rel), 'utf8'), `${rel} is stale`).toBe(content);
    }
    const committed = readdirSync(path.join(ROOT, 'istio/authz')).map((f) => `istio/authz/${f}`);
    expect(committed.sort(), 'files in istio/authz that the generator no longer renders').toEqual(Object.keys(files).sort());
  });

  it('cover every operation of every service contract with exactly one matching ALLOW rule', () => {
    const issuer =
      generator.GENERATOR &&
      YAML.parse(readFileSync(path.join(ROOT, 'services/k8s/base/kustomization.yaml'), 'utf8'))
        .configMapGenerator.find((g: Doc) => g.name === 'agora-config')
        .literals.find((l: string) => l.startsWith('JWT_ISSUER='))
        .slice(11);
    const contracts = readdirSync(path.join(ROOT, 'openapi')).filter((f) => SERVICES.includes(f.replace(/\.json$/, '')));
    for (const file of contracts) {
      const svc = file.replace(/\.json$/, '');
      const policies = parseAll(files[`istio/authz/${svc}.yaml`]!);
      expect(policies.flatMap(validateDoc)).toEqual([]);
      expect(coverageProblems(load(`openapi/${file}`), policies, issuer), svc).toEqual([]);
    }
  });
});
