/**
 * scripts/generate/dev-cluster.mjs follows the topology: a service added to it gets its database and
 * login role in the dev PostgreSQL init script, and every ingress route with a CORS policy gets the
 * dev origins. (test/generated-files.test.ts checks that the committed copies are current.)
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
// @ts-expect-error plain ESM script without types
import { DEV_ORIGINS, renderDatabases, renderIngressCors } from '../../scripts/generate/dev-cluster.mjs';
import { SERVICES } from '../../mesh/src/topology.js';

const databases = (services: ReadonlyArray<{ name: string; database: string }>) => renderDatabases(services) as string;
const cors = (vs: unknown) => parseYaml(renderIngressCors(stringifyYaml(vs)) as string) as Array<{ op: string; path: string; value: unknown }>;

describe('dev-cluster generator', () => {
  it("gives a new service its role, database and password variable, and keeps every other service's", () => {
    const sql = databases([...SERVICES, { name: 'search', database: 'agora_search' }]);
    for (const s of [...SERVICES, { name: 'search', database: 'agora_search' }]) {
      expect(sql).toContain(`\\getenv ${s.name}_password AGORA_${s.name.toUpperCase()}_DB_PASSWORD\n`);
      expect(sql).toContain(`CREATE ROLE ${s.database} LOGIN PASSWORD :'${s.name}_password';\n`);
      expect(sql).toContain(`CREATE DATABASE ${s.database} OWNER ${s.database};\n`);
      expect(sql).toContain(`REVOKE ALL ON DATABASE ${s.database} FROM PUBLIC;\n`);
    }
    expect(sql).toMatch(/^\\set ON_ERROR_STOP on$/m);
  });

  it('patches exactly the routes that have a CORS policy, by index', () => {
    const vs = { spec: { http: [{ corsPolicy: {} }, {}, { corsPolicy: { allowOrigins: [{ exact: 'x' }] } }, {}] } };
    expect(cors(vs)).toEqual([
      { op: 'replace', path: '/spec/http/0/corsPolicy/allowOrigins', value: DEV_ORIGINS.map((exact: string) => ({ exact })) },
      { op: 'replace', path: '/spec/http/2/corsPolicy/allowOrigins', value: DEV_ORIGINS.map((exact: string) => ({ exact })) },
    ]);
  });

  it('refuses an ingress without any CORS route (the patch would silently do nothing)', () => {
    expect(() => cors({ spec: { http: [{}] } })).toThrow(/no route/);
  });
});
