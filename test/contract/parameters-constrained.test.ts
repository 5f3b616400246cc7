// Every path and query parameter of every contract is checked by a rule the contract states (a
// pattern, a length or a range), following `$ref`s: an id typed as a bare string, or an alias whose
// rules tsoa dropped (a file's header JSDoc attached to it), would reach the handlers unchecked.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICES } from '../../mesh/src/topology.js';
import { ROOT, type Doc } from '../cluster/lib.js';

function resolve(doc: Doc, schema: Doc): Doc {
  let s = schema;
  for (let hops = 0; s.$ref && hops < 10; hops += 1) s = doc.components.schemas[String(s.$ref).split('/').pop()!];
  return s;
}

const RULES = ['pattern', 'maxLength', 'maximum', 'enum'];

describe('every parameter of every contract carries a rule', () => {
  for (const { name } of SERVICES) {
    it(name, () => {
      const doc = JSON.parse(readFileSync(path.join(ROOT, 'openapi', `${name}.json`), 'utf8')) as Doc;
      const unchecked: string[] = [];
      let count = 0;
      for (const [p, item] of Object.entries<Doc>(doc.paths)) {
        for (const [method, op] of Object.entries<Doc>(item)) {
          for (const param of op.parameters ?? []) {
            count += 1;
            const schema = resolve(doc, param.schema);
            if (!RULES.some((r) => r in schema)) unchecked.push(`${method.toUpperCase()} ${p} ${param.in} ${param.name}`);
          }
        }
      }
      expect(count).toBeGreaterThan(0);
      expect(unchecked).toEqual([]);
    });
  }

  it('the UUID rule is the one from the contract kit, with its message-bearing pattern', () => {
    for (const { name } of SERVICES) {
      const doc = JSON.parse(readFileSync(path.join(ROOT, 'openapi', `${name}.json`), 'utf8')) as Doc;
      expect(doc.components.schemas.Uuid?.pattern, name).toBe('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$');
    }
  });
});
