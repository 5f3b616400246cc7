// Step 2: the public API of the ingress = every service's document minus its internal operations
// (under /internal, secured by `mesh`), merged into openapi/agora.json. The typed client
// (openapi/client) and the ingress's Swagger UI (/docs) are built from it, and two OpenAPI linters
// judge it (test/contract/lint.test.ts). Schema names must be unique across services unless identical.
//
// Besides merging, this step shapes the document for clients and linters where tsoa's output is
// valid but loose (docs/adding-an-endpoint.md, "The public contract"):
//  - only the schemas the public operations reach are kept, so internal-only schemas (event
//    envelopes, internal views) never appear in the public API;
//  - a `$ref` with a sibling `description` (tsoa documents an alias or a property that way; OpenAPI
//    3.0 ignores siblings of `$ref`) becomes `allOf: [{ $ref }]` with the description beside it;
//  - a nullable reference (`allOf: [{ $ref }], nullable: true`, where OpenAPI 3.0 wants a `type`
//    beside `nullable`) is inlined when the reference is a plain scalar schema (an id alias).
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { serviceNames } from '../lib/topology.mjs';

const VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SCHEMA_REF = '#/components/schemas/';

export function isInternal(pathName, operation) {
  return pathName.startsWith('/internal') || (operation.security ?? []).some((req) => 'mesh' in req);
}

export async function render(root) {
  const merged = {
    openapi: '3.0.0',
    info: {
      title: 'Agora public API',
      version: '1.0.0',
      description:
        "Everything the ingress routes, merged from the services' own contracts (generated; do not edit). " +
        'Operations marked with an empty security alternative (`{}`) can be called without a token; a token that is sent is still checked.',
      license: { name: 'UNLICENSED' },
    },
    // Relative: the document is served by the ingress it describes (/docs), locally and in a cluster.
    servers: [{ url: '/', description: 'the ingress serving this document' }],
    paths: {},
    components: {
      schemas: {},
      securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    tags: [],
  };
  const owners = {};
  const schemas = {};
  for (const service of await serviceNames()) {
    const file = path.join(root, 'openapi', `${service}.json`);
    if (!existsSync(file)) continue;
    const doc = JSON.parse(await readFile(file, 'utf8'));
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      const existing = schemas[name];
      if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
        throw new Error(`public-api: schema "${name}" differs between ${owners[name]} and ${service}; rename one of them`);
      }
      schemas[name] = schema;
      owners[name] ??= service;
    }
    for (const [pathName, item] of Object.entries(doc.paths ?? {})) {
      const kept = Object.fromEntries(Object.entries(item).filter(([, op]) => !isInternal(pathName, op)));
      if (Object.keys(kept).length === 0) continue;
      if (merged.paths[pathName]) throw new Error(`public-api: path ${pathName} is defined by two services`);
      merged.paths[pathName] = kept;
    }
    for (const tag of doc.tags ?? []) if (!merged.tags.some((t) => t.name === tag.name)) merged.tags.push(tag);
  }
  const usedTags = new Set(Object.values(merged.paths).flatMap((item) => VERBS.flatMap((v) => item[v]?.tags ?? [])));
  merged.tags = merged.tags.filter((t) => usedTags.has(t.name)).sort((a, b) => a.name.localeCompare(b.name));
  // Tidied copies (lookups go to the untouched originals), then only what the public paths reach.
  const tidied = structuredClone(schemas);
  tidy(merged.paths, schemas);
  tidy(tidied, schemas);
  for (const name of [...reachable(merged.paths, tidied)].sort()) merged.components.schemas[name] = tidied[name];
  return { 'openapi/agora.json': `${JSON.stringify(merged, null, 2)}\n` };
}

/** The names of every schema the paths reach, directly or through other schemas. */
export function reachable(paths, schemas) {
  const seen = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string' && node.$ref.startsWith(SCHEMA_REF)) {
      const name = node.$ref.slice(SCHEMA_REF.length);
      if (!seen.has(name)) {
        if (!schemas[name]) throw new Error(`public-api: ${node.$ref} is referenced but defined by no service`);
        seen.add(name);
        visit(schemas[name]);
      }
    }
    Object.values(node).forEach(visit);
  };
  visit(paths);
  return seen;
}

/** A scalar schema behind a chain of plain `$ref`s, or undefined when it is an object, array or composition. */
function scalarBehind(ref, schemas, depth = 0) {
  const schema = schemas[ref.slice(SCHEMA_REF.length)];
  if (!schema || depth > 8) return undefined;
  if (schema.$ref) return scalarBehind(schema.$ref, schemas, depth + 1);
  if (['string', 'integer', 'number', 'boolean'].includes(schema.type) && !schema.allOf && !schema.oneOf && !schema.anyOf) return schema;
  return undefined;
}

/** Rewrites, in place, the two shapes OpenAPI 3.0 linters reject (see the header). */
function tidy(node, schemas) {
  if (Array.isArray(node)) return node.forEach((n) => tidy(n, schemas));
  if (!node || typeof node !== 'object') return;
  for (const value of Object.values(node)) tidy(value, schemas);
  if (typeof node.$ref === 'string' && Object.keys(node).length > 1) {
    const ref = node.$ref;
    delete node.$ref;
    node.allOf = [{ $ref: ref }];
  }
  if (node.nullable === true && !node.type && node.allOf?.length === 1 && node.allOf[0].$ref) {
    const scalar = scalarBehind(node.allOf[0].$ref, schemas);
    if (scalar) {
      const { description, example } = node;
      for (const key of Object.keys(node)) delete node[key];
      Object.assign(node, { ...scalar, nullable: true });
      if (description !== undefined) node.description = description;
      if (example !== undefined) node.example = example;
    }
  }
}
