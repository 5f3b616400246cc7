import { describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../test/helpers/db.js';
import { databaseUrl, withClient } from '../src/testing/postgres.js';

describe('test PostgreSQL harness', () => {
  it('provides a real server and says which kind', async () => {
    expect(['env', 'testcontainers', 'embedded']).toContain(inject('pgKind'));
    expect(process.env.TEST_PG_ADMIN_URL ?? inject('pgAdminUrl')).toMatch(/^postgres(ql)?:\/\//);
    const rows = await withClient(inject('pgAdminUrl'), async (c) => (await c.query<{ one: number }>('select 1 as one')).rows);
    expect(rows).toEqual([{ one: 1 }]);
  });

  it('gives isolated fresh databases', async () => {
    const a = await freshDatabase('harness_a');
    const b = await freshDatabase('harness_b');
    expect(a).not.toBe(b);
    expect(new URL(a).pathname).toMatch(/^\/harness_a_/);

    await withClient(a, async (c) => {
      expect((await c.query<{ db: string }>('select current_database() as db')).rows[0]!.db).toBe(new URL(a).pathname.slice(1));
      await c.query('create table widgets (id uuid primary key default gen_random_uuid(), name text not null)');
      await c.query(`insert into widgets (name) values ('only in a')`);
    });
    await withClient(b, async (c) => {
      const { rows } = await c.query<{ t: string | null }>(`select to_regclass('public.widgets')::text as t`);
      expect(rows[0]!.t).toBeNull();
    });
    await withClient(a, async (c) => {
      expect((await c.query('select name from widgets')).rows).toEqual([{ name: 'only in a' }]);
    });
  });

  it('builds database URLs on the same server', () => {
    expect(databaseUrl('postgres://u:p%40ss@127.0.0.1:5433/postgres?sslmode=disable', 'agora_auth')).toBe(
      'postgres://u:p%40ss@127.0.0.1:5433/agora_auth?sslmode=disable',
    );
  });
});

describe('choosing the test server', () => {
  it('takes a container engine as reachable only when it answers /_ping', async () => {
    const { containerEngineReachable } = await import('../src/testing/postgres.js');
    const http = await import('node:http');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(tmpdir(), 'fake-engine-'));
    const socketPath = path.join(dir, 'docker.sock');
    const engine = http.createServer((req, res) => res.writeHead(req.url === '/_ping' ? 200 : 404).end('OK'));
    await new Promise<void>((r) => engine.listen(socketPath, r));
    try {
      await expect(containerEngineReachable({ DOCKER_HOST: `unix://${socketPath}` })).resolves.toBe(`unix://${socketPath}`);
      await expect(containerEngineReachable({ DOCKER_HOST: `unix://${dir}/absent.sock` })).resolves.toBeUndefined();
      await expect(containerEngineReachable({ DOCKER_HOST: 'tcp://127.0.0.1:1' })).resolves.toBeUndefined();
    } finally {
      engine.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('uses TEST_DATABASE_URL when it is set', async () => {
    const { startTestPostgres } = await import('../src/testing/postgres.js');
    const pg = await startTestPostgres({ env: { TEST_DATABASE_URL: inject('pgAdminUrl') }, log: () => undefined });
    expect(pg.kind).toBe('env');
    expect(pg.description).toMatch(/^PostgreSQL \d+(\.\d+)? from TEST_DATABASE_URL at /);
    await pg.stop(); // a no-op: the server is not ours
  });
});
