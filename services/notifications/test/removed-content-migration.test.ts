import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateService } from '@agora/mesh';
import { freshDatabase } from '../../../test/helpers/db.js';
import { migrations } from '../src/migrations/index.js';

const dbs: Array<ReturnType<typeof createDatabase>> = [];
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.close()));
});

describe('migration 0004-removed-content', () => {
  it('gives each comment notification recorded before it its newest comment, written by its newest actor', async () => {
    const url = await freshDatabase('notifications-removed-content');
    await migrateService(
      'notifications',
      url,
      migrations.slice(
        0,
        migrations.findIndex((m) => m.name === '0004-removed-content'),
      ),
    );
    const db = createDatabase({ url, poolMax: 1 });
    dbs.push(db);
    const [recipient, older, newer, post, newest] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const [group] = await db.query<{ id: string }>(
      `INSERT INTO notifications (recipient_id, kind, post_id, comment_id, group_key, actor_count) VALUES ($1, 'comment', $2, $3, $4, 2) RETURNING id`,
      [recipient, post, newest, `comment:${post}`],
    );
    await db.execute(
      `INSERT INTO notification_actors (notification_id, actor_id, at) VALUES ($1, $2, now() - interval '1 minute'), ($1, $3, now())`,
      [group!.id, older, newer],
    );
    // A like and a mention are not comment notifications: nothing to track.
    await db.execute(`INSERT INTO notifications (recipient_id, kind, post_id, comment_id) VALUES ($1, 'mention', $2, $3)`, [
      recipient,
      post,
      randomUUID(),
    ]);

    await migrateService('notifications', url, migrations);
    const tracked = await db.query('SELECT notification_id, comment_id, actor_id FROM notification_comments');
    expect(tracked).toEqual([{ notification_id: group!.id, comment_id: newest, actor_id: newer }]);
  });
});
