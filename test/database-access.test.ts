import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * One way to reach the database (docs/conventions.md, "Database access"): services use mesh's
 * `Database` and its keyset module — never pg or an ORM directly, never a cursor built by hand — and
 * no package depends on Sequelize any more. Names each file that strays.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'generated') out.push(...(await sourceFiles(full)));
    else if (entry.isFile() && entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

describe('database access', () => {
  it('services reach PostgreSQL only through mesh: no pg, no ORM, no hand-made cursor', async () => {
    const services = (await readdir(path.join(ROOT, 'services'), { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== 'k8s');
    const offenders: string[] = [];
    for (const service of services) {
      for (const file of await sourceFiles(path.join(ROOT, 'services', service.name, 'src'))) {
        const text = await readFile(file, 'utf8');
        const rel = path.relative(ROOT, file);
        if (/from '(pg|pg-pool|sequelize|knex|kysely|typeorm)'/.test(text))
          offenders.push(`${rel}: imports a database library (use the service's Database)`);
        if (/toISOString\(\)/.test(text) && /cursor/i.test(text))
          offenders.push(`${rel}: builds a cursor from a JavaScript Date (use mesh's Keyset)`);
        if (/Buffer\.from\([^)]*\)\.toString\('base64url'\)/.test(text)) offenders.push(`${rel}: encodes a cursor by hand (use mesh's Keyset)`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no package depends on sequelize or pg-hstore', async () => {
    const manifests = [
      'package.json',
      'mesh/package.json',
      ...(await readdir(path.join(ROOT, 'services'))).filter((s) => s !== 'k8s').map((s) => `services/${s}/package.json`),
    ];
    const offenders: string[] = [];
    for (const manifest of manifests) {
      const json = JSON.parse(await readFile(path.join(ROOT, manifest), 'utf8')) as Record<string, Record<string, string> | undefined>;
      for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
        for (const name of Object.keys(json[field] ?? {}))
          if (name === 'sequelize' || name === 'pg-hstore') offenders.push(`${manifest}: ${field}.${name}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
