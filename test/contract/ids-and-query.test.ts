// Two promises of the contract, checked for every operation of every service (internal ones too):
// a malformed id in the path is a 400 problem+json naming the parameter, and a query parameter the
// operation does not declare is a 400 naming it, both before any handler runs. Each service's real
// tsoa-generated routes and committed contract run in mesh's app factory with a caller that passes
// authentication (an admin token, or the workload the contract names); the controllers get no
// dependencies at all, so an operation whose handler were reached would fail with a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createLogger, loadOpenApi, Readiness, signLocalAssertion, type UserPrincipal } from '@agora/mesh';
import { SERVICE_NAMES } from '../../mesh/src/topology.js';
import { loadServiceRoutes } from '../helpers/service-routes.js';
import { offlineConfig, serveOnLoopback } from '../helpers/offline-app.js';

const REGISTER = await loadServiceRoutes();
const KEY = 'k'.repeat(40);
const UUID = '3f1c8a52-6d0e-4b7a-9f43-2a9d1c7e5b10';
const admin: UserPrincipal = {
  kind: 'user',
  userId: UUID,
  roles: ['admin'],
  sessionId: 's',
  tokenId: 't',
  issuedAt: Date.now() / 1000,
  expiresAt: Date.now() / 1000 + 600,
};

type Param = { in: string; name: string; schema?: { $ref?: string; pattern?: string } };
type Op = { security?: Array<Record<string, string[]>>; parameters?: Param[] };
type Doc = { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, { $ref?: string; pattern?: string }> } };

function isUuidParam(doc: Doc, p: Param): boolean {
  let s = p.schema;
  for (let hops = 0; s?.$ref && hops < 10; hops += 1) s = doc.components.schemas[s.$ref.split('/').pop()!];
  return !!s?.pattern && s.pattern.includes('[0-9a-fA-F]{8}-');
}

const servers: Array<Awaited<ReturnType<typeof serveOnLoopback>>> = [];
const bases: Record<string, string> = {};
const docs: Record<string, Doc> = {};

beforeAll(async () => {
  for (const service of SERVICE_NAMES) {
    const config = offlineConfig({ MESH_IDENTITY: 'local', MESH_LOCAL_KEY: KEY });
    docs[service] = (await loadOpenApi(service)) as Doc;
    const app = createApp({
      service,
      config,
      logger: createLogger(`${service}-contract-test`, 'silent'),
      registerRoutes: REGISTER[service],
      readiness: new Readiness({}),
      openapi: docs[service],
      verifier: { verify: async () => admin },
      deps: {},
    });
    const server = await serveOnLoopback(app.callback());
    servers.push(server);
    bases[service] = server.base;
  }
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** Headers that pass the operation's authentication: the workload it names, or an admin token. */
function credentials(op: Op): Record<string, string> {
  const mesh = op.security?.find((r) => 'mesh' in r)?.mesh;
  if (mesh?.length) return { 'x-agora-workload': signLocalAssertion(mesh[0]!, KEY) };
  return { authorization: 'Bearer any' };
}

async function send(service: string, method: string, p: string, headers: Record<string, string>) {
  const res = await fetch(`${bases[service]}${p}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : '{}',
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text };
}

function operations(): Array<{ service: string; method: string; path: string; op: Op }> {
  return SERVICE_NAMES.flatMap((service) =>
    Object.entries(docs[service]!.paths).flatMap(([p, item]) =>
      Object.entries(item).map(([method, op]) => ({ service, method: method.toUpperCase(), path: p, op })),
    ),
  );
}

describe('every operation of every service', () => {
  it('answers a malformed id in the path with 400 problem+json naming it, before its handler', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const { service, method, path: p, op } of operations()) {
      const ids = (op.parameters ?? []).filter((x) => x.in === 'path' && isUuidParam(docs[service]!, x));
      for (const bad of ids) {
        for (const malformed of ['not-a-uuid', `${UUID}0`, UUID.replaceAll('-', '')]) {
          const url = p.replace(/\{(\w+)\}/g, (_m, name: string) => (name === bad.name ? malformed : name === 'username' ? 'ada' : UUID));
          const a = await send(service, method, url, credentials(op));
          checked += 1;
          if (a.status !== 400 || a.type !== 'application/problem+json' || !a.text.includes(bad.name)) {
            failures.push(`${service} ${method} ${url} → ${a.status} ${a.text.slice(0, 160)}`);
          }
        }
      }
    }
    console.log(`[ids-and-query] ${checked} malformed-id requests`);
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(60);
  });

  it('refuses a query parameter it does not declare with 400 problem+json naming it, before its handler', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const { service, method, path: p, op } of operations()) {
      const url = p.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'username' ? 'ada' : UUID));
      const a = await send(service, method, `${url}?sortBy=newest`, credentials(op));
      checked += 1;
      if (a.status !== 400 || a.type !== 'application/problem+json' || !a.text.includes('sortBy')) {
        failures.push(`${service} ${method} ${url}?sortBy=newest → ${a.status} ${a.text.slice(0, 160)}`);
      }
    }
    console.log(`[ids-and-query] ${checked} operations refused an unknown query parameter`);
    expect(failures).toEqual([]);
    expect(checked).toBe(operations().length);
  });
});
