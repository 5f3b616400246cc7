// Step 4: Istio AuthorizationPolicies from the services' OpenAPI documents (openapi/<service>.json),
// so the mesh and the services cannot disagree about who may call what (docs/architecture.md, "One token, checked twice").
//
// The contract (docs/conventions.md): an operation's OpenAPI `security` says its class.
//   absent or []                 public         ALLOW from anyone
//   [{"jwt": []}, {}]            optional       ALLOW from anyone, no DENY: a request without a token
//                                               passes (public reading); one with a token is still
//                                               checked by the RequestAuthentication, which refuses
//                                               a bad token whatever the policies say
//   [{"jwt": []}]                authenticated  DENY without a request principal; ALLOW any principal of the issuer
//   [{"jwt": ["admin"]}]         role(s)        as authenticated, and ALLOW only when claim `roles` contains each scope
//   [{"mesh": ["posts", ...]}]   internal       ALLOW only from cluster.local/ns/<ns>/sa/<caller>
// Alternatives (`[{"jwt": []}, {"mesh": ["posts"]}]`) become one rule with several sources; an
// alternative with role scopes cannot be combined (Istio's `when` would apply to every source).
//
// Output, for `npm run generate` to write (render() itself writes nothing):
//   istio/authz/kustomization.yaml   lists the files below; istio/base includes it
//   istio/authz/default-deny.yaml    ALLOW-nothing policy for the whole namespace
//   istio/authz/<service>.yaml       per service with a contract: <svc>-require-jwt (DENY) + <svc>-allow (ALLOW)
// A service with manifests but no openapi/<service>.json yet gets no ALLOW policy: the default deny
// applies to it, and the generated kustomization says so.
//
// Paths: tsoa's `{param}` segments become Istio path templates `{*}` (one whole segment; Istio >= 1.22).
// `*` prefix/suffix wildcards are never used: `/api/v1/posts/*` would also match
// `/api/v1/posts/1/comments/2`, i.e. every deeper operation. Where two operations of one method share
// paths (GET /users/{id} and GET /users/me; GET /users/by-username/{u} and GET /users/{id}/followers
// share /users/by-username/followers), the more specific one wins (at the first differing segment a
// literal beats a parameter) and the other lists the shared paths in `notPaths`, so every request
// matches exactly one rule: the one of its own operation.
// Operational endpoints: GET /healthz/live and /healthz/ready are open (kubelet probes, which Istio
// normally rewrites to the agent and so never pass these policies anyway); GET /metrics is allowed
// from the `observability` namespace (with Istio's merged metrics Prometheus scrapes the agent on
// :15020 and these rules are not consulted; they matter only for a direct, mTLS scrape of :8080).
import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export const GENERATOR = 'scripts/generate/istio-policies.mjs';
export const OUT_DIR = 'istio/authz';
export const OBSERVABILITY_NAMESPACE = 'observability';
export const ROLES_CLAIM = 'request.auth.claims[roles]';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const APP_BASE = 'services/k8s/base/kustomization.yaml';

/** Operational endpoints every service serves and the ingress never routes (docs/conventions.md). */
export const OPERATIONAL = [
  { method: 'GET', path: '/healthz/live', id: 'healthz-live', security: { kind: 'probe' } },
  { method: 'GET', path: '/healthz/ready', id: 'healthz-ready', security: { kind: 'probe' } },
  { method: 'GET', path: '/metrics', id: 'metrics', security: { kind: 'scrape' } },
];

/**
 * Renders every generated file. `options` overrides what is otherwise read from `root`:
 * `services` (workload names: folders services/<name>/ with k8s/kustomization.yaml), `namespace`
 * and `issuer` (from the app base kustomization's agora-config), `openapiDir` (default openapi/).
 */
export async function render(root, options = {}) {
  const settings = await loadSettings(root, options);
  const openapiDir = path.join(root, options.openapiDir ?? 'openapi');
  const docs = {};
  if (existsSync(openapiDir)) {
    for (const file of (await readdir(openapiDir)).sort()) {
      const name = file.replace(/\.json$/, '');
      // Only a service's own document; the merged public API and anything else is not a workload.
      if (!file.endsWith('.json') || !settings.services.includes(name)) continue;
      docs[name] = JSON.parse(await readFile(path.join(openapiDir, file), 'utf8'));
    }
  }
  return renderPolicies({ ...settings, docs });
}

async function loadSettings(root, options) {
  let services = options.services;
  if (!services) {
    const dir = path.join(root, 'services');
    const entries = existsSync(dir) ? await readdir(dir, { withFileTypes: true }) : [];
    services = entries
      .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'k8s', 'kustomization.yaml')))
      .map((e) => e.name)
      .sort();
  }
  let { namespace, issuer } = options;
  if (!namespace || !issuer) {
    const base = YAML.parse(await readFile(path.join(root, APP_BASE), 'utf8'));
    const shared = (base.configMapGenerator ?? []).find((g) => g.name === 'agora-config');
    const literal = (key) => shared?.literals?.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);
    namespace ??= base.namespace;
    issuer ??= literal('JWT_ISSUER');
    if (!namespace || !issuer) throw new Error(`${GENERATOR}: ${APP_BASE} must set namespace and agora-config JWT_ISSUER`);
  }
  return { services: [...services].sort(), namespace, issuer };
}

/** The mesh principal of a workload (mesh/src/topology.ts meshPrincipal). */
export function principalOf(service, namespace) {
  return `cluster.local/ns/${namespace}/sa/${service}`;
}

/** `/api/v1/users/{id}` -> `/api/v1/users/{*}`; a parameter must fill a whole segment. */
export function toIstioPath(openapiPath) {
  return openapiPath
    .split('/')
    .map((segment) => {
      if (/^\{[^{}]+\}$/.test(segment)) return '{*}';
      if (/[{}*]/.test(segment)) {
        throw new Error(
          `${GENERATOR}: path ${openapiPath}: segment "${segment}" mixes a parameter or '*' with text; Istio path templates need whole segments`,
        );
      }
      return segment;
    })
    .join('/');
}

function basePath(doc) {
  const url = doc.servers?.[0]?.url;
  if (!url) return '';
  return new URL(url, 'http://base.invalid').pathname.replace(/\/+$/, '');
}

/** Every operation of an OpenAPI 3 document with its security class. */
export function collectOperations(doc, { services, namespace, source = 'document' }) {
  const prefix = basePath(doc);
  const ops = [];
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const fullPath = `${prefix}${p}`.replace(/\/{2,}/g, '/');
      const where = `${source}: ${method.toUpperCase()} ${fullPath}`;
      ops.push({
        method: method.toUpperCase(),
        path: fullPath,
        template: toIstioPath(fullPath),
        id: op.operationId ?? `${method}-${fullPath}`,
        security: classify(op.security ?? doc.security ?? [], { services, namespace, where }),
      });
    }
  }
  return ops;
}

/** Maps an OpenAPI security requirement list to one of the contract's classes. */
export function classify(requirements, { services, namespace, where }) {
  if (!Array.isArray(requirements)) throw new Error(`${where}: security must be an array`);
  if (requirements.length === 0) return { kind: 'public' };
  if (requirements.some((r) => Object.keys(r).length === 0)) {
    const others = requirements.filter((r) => Object.keys(r).length > 0);
    // `{}` beside exactly `jwt: []`: the token is optional. Anything else beside `{}` (roles, mesh)
    // would read as a restriction that the empty alternative silently lifts.
    if (others.length !== 1 || Object.keys(others[0]).join() !== 'jwt' || others[0].jwt.length !== 0) {
      throw new Error(`${where}: an empty security alternative ({}) goes only with [{"jwt": []}, {}] (token optional)`);
    }
    return { kind: 'optional' };
  }
  const alternatives = requirements.map((requirement) => {
    const schemes = Object.keys(requirement);
    if (schemes.length !== 1) throw new Error(`${where}: a requirement combining schemes (${schemes.join(' + ')}) is not supported`);
    const scheme = schemes[0];
    const scopes = requirement[scheme] ?? [];
    if (scheme === 'jwt') return scopes.length ? { kind: 'role', roles: [...scopes] } : { kind: 'authenticated' };
    if (scheme === 'mesh') {
      if (!scopes.length) throw new Error(`${where}: mesh security must list the calling workloads`);
      for (const caller of scopes) {
        if (!services.includes(caller)) throw new Error(`${where}: mesh caller "${caller}" is not a workload (known: ${services.join(', ')})`);
      }
      return { kind: 'internal', callers: [...scopes], principals: scopes.map((c) => principalOf(c, namespace)) };
    }
    throw new Error(`${where}: unknown security scheme "${scheme}" (expected jwt or mesh)`);
  });
  if (alternatives.length === 1) return alternatives[0];
  if (alternatives.some((a) => a.kind === 'role')) {
    throw new Error(`${where}: role scopes cannot be combined with other security alternatives`);
  }
  return { kind: 'any-of', alternatives };
}

/** True when the class needs a validated JWT whatever the caller (the DENY policy's operations). */
export function requiresJwt(security) {
  return security.kind === 'authenticated' || security.kind === 'role';
}

const segmentsOf = (t) => t.split('/');
function intersects(x, y) {
  const a = segmentsOf(x);
  const b = segmentsOf(y);
  return a.length === b.length && a.every((s, i) => s === '{*}' || b[i] === '{*}' || s === b[i]);
}

/** The paths both templates match, as a template (literal where either is literal). */
function intersection(x, y) {
  const b = segmentsOf(y);
  return segmentsOf(x)
    .map((s, i) => (s === '{*}' ? b[i] : s))
    .join('/');
}

/**
 * True when `a` wins over `b` for the paths both match: at the first segment where they differ, a
 * literal beats a parameter (so /users/me beats /users/{id}, and /users/by-username/{u} beats
 * /users/{id}/followers for /users/by-username/followers).
 */
function moreSpecific(a, b) {
  const x = segmentsOf(a);
  const y = segmentsOf(b);
  for (let i = 0; i < x.length; i += 1) {
    if (x[i] !== y[i]) return x[i] !== '{*}';
  }
  return false;
}

/**
 * Makes the operations of one workload disjoint: every operation excludes (notPaths) the paths it
 * shares with a more specific operation of the same method, so each request matches exactly one rule.
 */
export function disjoin(ops, where) {
  return ops.map((op) => {
    const notPaths = new Set();
    for (const other of ops) {
      if (other === op || other.method !== op.method || !intersects(op.template, other.template)) continue;
      if (other.template === op.template) {
        throw new Error(`${where}: ${op.method} ${op.path} and ${other.method} ${other.path} are the same route`);
      }
      if (moreSpecific(other.template, op.template)) notPaths.add(intersection(op.template, other.template));
    }
    return { ...op, notPaths: [...notPaths].sort() };
  });
}

function operationOf(op) {
  const operation = { methods: [op.method], paths: [op.template] };
  if (op.notPaths.length) operation.notPaths = op.notPaths;
  return { operation };
}

function ruleOf(op, issuer) {
  const to = [operationOf(op)];
  const s = op.security;
  const jwtSource = { source: { requestPrincipals: [`${issuer}/*`] } };
  switch (s.kind) {
    case 'public':
    case 'optional':
    case 'probe':
      return { to };
    case 'scrape':
      return { from: [{ source: { namespaces: [OBSERVABILITY_NAMESPACE] } }], to };
    case 'authenticated':
      return { from: [jwtSource], to };
    case 'role':
      return { from: [jwtSource], to, when: s.roles.map((role) => ({ key: ROLES_CLAIM, values: [role] })) };
    case 'internal':
      return { from: [{ source: { principals: s.principals } }], to };
    case 'any-of':
      return {
        from: s.alternatives.map((a) => (a.kind === 'internal' ? { source: { principals: a.principals } } : jwtSource)),
        to,
      };
    default:
      throw new Error(`unknown security class ${s.kind}`);
  }
}

function describe(security) {
  switch (security.kind) {
    case 'role':
      return `roles: ${security.roles.join(', ')}`;
    case 'internal':
      return `internal, from ${security.callers.join(', ')}`;
    case 'any-of':
      return security.alternatives.map(describe).join(' or ');
    case 'optional':
      return 'public, a token optional (validated when sent)';
    default:
      return security.kind;
  }
}

const HEADER = (sources) => `# GENERATED by ${GENERATOR} from ${sources}. Do not edit: run \`npm run generate\`.\n`;

function toYaml(header, objects, commentRules = false) {
  return (
    header +
    objects
      .map(({ obj, comments }) => {
        const doc = new YAML.Document(obj);
        if (commentRules && comments) {
          comments.forEach((c, i) => {
            const node = doc.getIn(['spec', 'rules', i], true);
            if (node) node.commentBefore = ` ${c}`;
          });
        }
        return doc.toString({ lineWidth: 0 });
      })
      .join('---\n')
  );
}

/** Pure rendering from already-loaded documents: { "<repo-relative path>": "<content>" }. */
export function renderPolicies({ docs, services, namespace, issuer }) {
  const out = {};
  const selectorOf = (svc) => ({ matchLabels: { app: svc } });
  out[`${OUT_DIR}/default-deny.yaml`] = toYaml(HEADER('the contract rule "namespace default-deny"'), [
    {
      obj: {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: {
          name: 'default-deny',
          namespace,
          labels: { 'app.kubernetes.io/part-of': 'agora', 'app.kubernetes.io/managed-by': 'npm-run-generate' },
        },
        // An ALLOW policy with no rules: nothing in the namespace is allowed unless another policy allows it.
        spec: {},
      },
    },
  ]);
  const withContract = Object.keys(docs).sort();
  for (const svc of withContract) {
    const source = `openapi/${svc}.json`;
    const fromDoc = collectOperations(docs[svc], { services, namespace, source });
    const own = new Set(fromDoc.map((o) => `${o.method} ${o.template}`));
    const operational = OPERATIONAL.filter((o) => !own.has(`${o.method} ${o.path}`)).map((o) => ({ ...o, template: o.path }));
    const ops = disjoin([...fromDoc, ...operational], source).sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
    const labels = { app: svc, 'app.kubernetes.io/part-of': 'agora', 'app.kubernetes.io/managed-by': 'npm-run-generate' };
    const objects = [];
    const needJwt = ops.filter((o) => requiresJwt(o.security));
    if (needJwt.length) {
      objects.push({
        obj: {
          apiVersion: 'security.istio.io/v1',
          kind: 'AuthorizationPolicy',
          metadata: { name: `${svc}-require-jwt`, namespace, labels },
          spec: {
            selector: selectorOf(svc),
            action: 'DENY',
            // RequestAuthentication alone lets a request without a token through: deny it here on
            // every operation that needs a user.
            rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: needJwt.map(operationOf) }],
          },
        },
      });
    }
    objects.push({
      obj: {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: `${svc}-allow`, namespace, labels },
        spec: { selector: selectorOf(svc), action: 'ALLOW', rules: ops.map((o) => ruleOf(o, issuer)) },
      },
      comments: ops.map((o) => `${o.method} ${o.path} (${o.id}): ${describe(o.security)}`),
    });
    out[`${OUT_DIR}/${svc}.yaml`] = toYaml(HEADER(source), objects, true);
  }
  const without = services.filter((s) => !withContract.includes(s));
  out[`${OUT_DIR}/kustomization.yaml`] =
    HEADER(withContract.length ? withContract.map((s) => `openapi/${s}.json`).join(', ') : 'no contract yet') +
    `# Services with a contract: ${withContract.join(', ') || 'none'}.\n` +
    `# Services without one (default-deny applies, nothing reaches them): ${without.join(', ') || 'none'}.\n` +
    YAML.stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['default-deny.yaml', ...withContract.map((s) => `${s}.yaml`)],
    });
  return out;
}
