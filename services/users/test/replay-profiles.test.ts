import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateService } from '@agora/mesh';
import { freshDatabase } from '../../../test/helpers/db.js';
import { migrations } from '../src/migrations/index.js';

const dbs: Array<ReturnType<typeof createDatabase>> = [];
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.close()));
});

describe('migration 0005-replay-profiles', () => {
  it('publishes profile.updated once for every existing profile, to posts and notifications, with a raised sequence', async () => {
    const url = await freshDatabase('users-replay');
    await migrateService(
      'users',
      url,
      migrations.slice(
        0,
        migrations.findIndex((m) => m.name === '0005-replay-profiles'),
      ),
    );
    const db = createDatabase({ url, poolMax: 1 });
    dbs.push(db);
    const ids = [randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries())
      await db.execute('INSERT INTO profiles (id, username, display_name, event_seq) VALUES ($1, $2, $3, 3)', [id, `replayed_${i}`, `Replayed ${i}`]);

    await migrateService('users', url, migrations);
    const jobs = await db.query<{ key: string }>(`SELECT key FROM graphile_worker.jobs WHERE key LIKE 'profile.updated:%' ORDER BY key`);
    for (const id of ids) {
      expect(jobs.filter((j) => j.key.startsWith(`profile.updated:${id}:notifications:`))).toHaveLength(1);
      expect(jobs.filter((j) => j.key.startsWith(`profile.updated:${id}:posts:`))).toHaveLength(1);
    }
    expect(jobs).toHaveLength(4);
    const seqs = await db.query<{ event_seq: string }>('SELECT event_seq FROM profiles WHERE id = ANY($1::uuid[])', [ids]);
    expect(seqs.map((s) => Number(s.event_seq))).toEqual([4, 4]);
  });
});
