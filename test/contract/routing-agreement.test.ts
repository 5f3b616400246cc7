// The mesh and the service must agree on which operation a request is. Istio's AuthorizationPolicies
// (generated from the contracts into istio/authz/) authorise a request as one operation; the app's
// Koa router then runs one. If they differ, a request authorised as a harmless operation can run
// another one — `DELETE /api/v1/posts/MODERATION/like` passed the mesh as "unlike" and a
// case-insensitive router ran the admin removal. This walks every operation of every contract,
// with case, trailing-slash and neighbouring-literal variants and every method, through both
// matchers: Istio's (test/cluster/lib.ts models its path matching) on the committed policies, and
// the router the app builds (createStrictRouter, refuseHead) with the generated routes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import { describe, expect, it } from 'vitest';
import { SERVICES } from '../../mesh/src/topology.js';
import { createStrictRouter } from '../../mesh/src/http/routing.js';
import { ROOT, parseAll, ruleTargets, samplePath, type Doc } from '../cluster/lib.js';
import { loadServiceRoutes } from '../helpers/service-routes.js';

const REGISTER = await loadServiceRoutes();
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'];
const UUID = '3f1c8a52-6d0e-4b7a-9f43-2a9d1c7e5b10';
const NONE = '(none)';

interface Operation {
  method: string;
  template: string;
}
const idOf = (op: Operation) => `${op.method} ${op.template}`;

function operations(service: string): Operation[] {
  const doc = JSON.parse(readFileSync(path.join(ROOT, 'openapi', `${service}.json`), 'utf8')) as Doc;
  expect(doc.servers?.[0]?.url ?? '/', `${service}: paths are absolute`).toBe('/');
  return Object.entries<Doc>(doc.paths).flatMap(([template, item]) => Object.keys(item).map((m) => ({ method: m.toUpperCase(), template })));
}

/** The mesh's view: which contract operation's ALLOW rule admits the request (none = denied). */
function istioMatcher(service: string, ops: Operation[]) {
  const allow = parseAll(readFileSync(path.join(ROOT, 'istio/authz', `${service}.yaml`), 'utf8')).find((p) => p.spec.action === 'ALLOW');
  if (!allow) throw new Error(`${service}: no ALLOW policy`);
  const rules: Array<{ rule: Doc; op: string }> = [];
  for (const op of ops) {
    const own = allow.spec.rules.filter((r: Doc) => ruleTargets(r, op.method, samplePath(op.template)));
    expect(own, `${idOf(op)}: one ALLOW rule`).toHaveLength(1);
    rules.push({ rule: own[0], op: idOf(op) });
  }
  return (method: string, p: string): string[] => rules.filter((r) => ruleTargets(r.rule, method, p)).map((r) => r.op);
}

/** The service's view: the operation whose handler runs (tsoa's handlers end the chain: the first route wins). */
function koaMatcher(register: (router: Router) => void, router: Router, refusesHead: boolean) {
  register(router);
  return (method: string, p: string): string => {
    if (refusesHead && method === 'HEAD') return NONE; // mesh/src/http/routing.ts refuseHead
    const layer = router.match(p, method).pathAndMethod.find((l) => l.methods.length > 0);
    if (!layer) return NONE;
    return `${method === 'HEAD' ? 'HEAD' : method} ${String(layer.path).replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
  };
}

const flipCase = (s: string) => (s === s.toLowerCase() ? s.toUpperCase() : s.toLowerCase());
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Concrete paths for a template: ids, every literal of the service in a parameter's place (in three cases), each literal's case flipped, trailing and doubled slashes. */
function variants(template: string, literals: string[]): string[] {
  const segments = template.split('/');
  const params = segments.map((s, i) => (s.startsWith('{') ? i : -1)).filter((i) => i >= 0);
  const fill = (overrides: Record<number, string> = {}) => segments.map((s, i) => overrides[i] ?? (s.startsWith('{') ? UUID : s)).join('/');
  const out = new Set<string>([fill(), fill(Object.fromEntries(params.map((i) => [i, UUID.toUpperCase()])))]);
  for (const i of params) for (const lit of literals) for (const v of [lit, lit.toUpperCase(), capitalise(lit)]) out.add(fill({ [i]: v }));
  segments.forEach((s, i) => {
    if (s && !s.startsWith('{')) {
      out.add(fill({ [i]: flipCase(s) }));
      out.add(fill({ [i]: capitalise(s) }));
    }
  });
  for (const p of [...out]) {
    out.add(`${p}/`);
    out.add(p.replace(/\/([^/]+)$/, '//$1'));
  }
  return [...out];
}

function disagreements(service: string, koa: (m: string, p: string) => string) {
  const ops = operations(service);
  const istio = istioMatcher(service, ops);
  const literals = [...new Set(ops.flatMap((o) => o.template.split('/')).filter((s) => s && !s.startsWith('{')))];
  const found: string[] = [];
  let requests = 0;
  for (const op of ops) {
    for (const p of variants(op.template, literals)) {
      for (const method of METHODS) {
        requests += 1;
        const mesh = istio(method, p);
        const app = koa(method, p);
        if (mesh.length > 1) found.push(`${method} ${p}: the mesh admits it as ${mesh.join(' and ')}`);
        else if ((mesh[0] ?? NONE) !== app) found.push(`${method} ${p}: mesh ${mesh[0] ?? 'denies'}, app runs ${app}`);
      }
    }
  }
  return { found: [...new Set(found)], requests, operations: ops.length };
}

describe('the mesh and the router agree on every operation of every contract', () => {
  for (const { name } of SERVICES) {
    it(`${name}: each request is the same operation to Istio's policy and to the app's router, or to neither`, () => {
      const { found, requests, operations: count } = disagreements(name, koaMatcher(REGISTER[name]!, createStrictRouter(), true));
      expect(count).toBeGreaterThan(0);
      expect(requests).toBeGreaterThan(count * METHODS.length * 4);
      expect(found).toEqual([]);
      console.log(`[routing-agreement] ${name}: ${count} operations, ${requests} requests, mesh and router agree on all`);
    });
  }

  it("the walk catches the old router's defects (case-insensitive, lax slashes, HEAD for GET)", () => {
    // @koa/router's defaults, as the app used them before (the class is mesh's dependency, not the root's).
    const DefaultRouter = createStrictRouter().constructor as new () => Router;
    const { found } = disagreements('posts', koaMatcher(REGISTER.posts, new DefaultRouter(), false));
    expect(found).toContain(
      'DELETE /api/v1/posts/MODERATION/like: mesh DELETE /api/v1/posts/{id}/like, app runs DELETE /api/v1/posts/moderation/{id}',
    );
    expect(found).toContain(`GET /api/v1/posts/${UUID}/: mesh denies, app runs GET /api/v1/posts/{id}`);
    expect(found).toContain(`HEAD /api/v1/posts/${UUID}: mesh denies, app runs HEAD /api/v1/posts/{id}`);
  });
});
