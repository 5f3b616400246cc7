// Step 2: the public API of the ingress = every service's document minus its internal operations
// (under /internal, secured by `mesh`), merged into openapi/agora.json. The frontend's typed client
// is generated from it. Schema names must be unique across services unless identical.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { serviceNames } from '../lib/topology.mjs';

export function isInternal(pathName, operation) {
  return pathName.startsWith('/internal') || (operation.security ?? []).some((req) => 'mesh' in req);
}

export async function render(root) {
  const merged = {
    openapi: '3.0.0',
    info: {
      title: 'Agora public API',
      version: '1.0.0',
      description: "Everything the ingress routes, merged from the services' own contracts (generated; do not edit).",
    },
    servers: [{ url: 'http://localhost:8080', description: 'local run' }],
    paths: {},
    components: {
      schemas: {},
      securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    tags: [],
  };
  const owners = {};
  for (const service of await serviceNames()) {
    const file = path.join(root, 'openapi', `${service}.json`);
    if (!existsSync(file)) continue;
    const doc = JSON.parse(await readFile(file, 'utf8'));
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      const existing = merged.components.schemas[name];
      if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
        throw new Error(`public-api: schema "${name}" differs between ${owners[name]} and ${service}; rename one of them`);
      }
      merged.components.schemas[name] = schema;
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
  return { 'openapi/agora.json': `${JSON.stringify(merged, null, 2)}\n` };
}
