import { NEWEST_FIRST, pageSize, problems, toAuthor, type Author, type Database, type KeysetRow, type Page, type Queryable } from '@agora/mesh';
import type { Notification, NotificationKind, UnreadCount } from '../controllers/schemas.js';
import { announce } from './notifier.js';

/** Actors shown per entry (the rest are counted in actorCount). */
const SHOWN_ACTORS = 3;

interface Row {
  id: string;
  kind: NotificationKind;
  postId: string | null;
  commentId: string | null;
  actorCount: number;
  read: boolean;
  createdAt: Date;
  updatedAt: Date;
  actors: Array<{ id: string; username: string | null; displayName: string | null; avatarMediaId: string | null }>;
}

/**
 * SQL: the recipient of `n` blocks or mutes actor `actor` (the relationships read model). What an
 * actor did before the block or mute is recorded but not shown: such an actor is left out of a
 * group's actors and count, and a notification with no other actor is left out altogether — from
 * the list, the unread count and the stream. Unblocking or unmuting shows it again.
 */
const silenced = (actor: string) =>
  `EXISTS (SELECT 1 FROM relationships r WHERE r.owner_id = n.recipient_id AND r.other_id = ${actor} AND (r.blocked OR r.muted))`;

/** SQL: notification `n` has an actor its recipient has not silenced. */
const SHOWN = `EXISTS (SELECT 1 FROM notification_actors na WHERE na.notification_id = n.id AND NOT ${silenced('na.actor_id')})`;

const COLUMNS = `n.id, n.kind, n.post_id AS "postId", n.comment_id AS "commentId",
  n.actor_count - (SELECT count(*) FROM notification_actors na WHERE na.notification_id = n.id AND ${silenced('na.actor_id')})::int AS "actorCount",
  n.read_at IS NOT NULL AS read, n.created_at AS "createdAt", n.updated_at AS "updatedAt",
  ARRAY(SELECT json_build_object('id', na.actor_id, 'username', a.username, 'displayName', a.display_name, 'avatarMediaId', a.avatar_media_id)
          FROM notification_actors na LEFT JOIN actors a ON a.id = na.actor_id
         WHERE na.notification_id = n.id AND NOT ${silenced('na.actor_id')} ORDER BY na.at DESC LIMIT ${SHOWN_ACTORS}) AS actors`;

function actorOf(a: Row['actors'][number]): Author {
  return toAuthor(a.id, a);
}

function toNotification(r: Row): Notification {
  const actors = r.actors.map(actorOf);
  return {
    id: r.id,
    kind: r.kind,
    postId: r.postId,
    commentId: r.commentId,
    actor: actors[0]!,
    actors,
    actorCount: Number(r.actorCount),
    read: Boolean(r.read),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** The reading side of one user's notifications: the list, the unread count, marking read. */
export class NotificationInbox {
  constructor(private readonly db: Database) {}

  /** Newest activity first; keyset-paginated on (updated_at, id). */
  async list(me: string, limit: number | undefined, cursor: string | undefined): Promise<Page<Notification>> {
    const n = pageSize(limit);
    const after = NEWEST_FIRST.position(cursor);
    const rows = await this.db.query<Row & KeysetRow>(
      `SELECT ${COLUMNS}, ${NEWEST_FIRST.columns('n.updated_at', 'n.id')}
         FROM notifications n
        WHERE n.recipient_id = $1 AND ${NEWEST_FIRST.after('n.updated_at', 'n.id', 2, 3)} AND ${SHOWN}
        ORDER BY ${NEWEST_FIRST.orderBy('n.updated_at', 'n.id')} LIMIT $4`,
      [me, after.t, after.id, n + 1],
    );
    // Every row has a shown actor: the erasure removes a row whose last actor it takes (event-consumer.ts),
    // and SHOWN leaves out a row whose every actor is silenced.
    return NEWEST_FIRST.page(rows, n, toNotification);
  }

  /** One notification of `me`, as the list shows it (the stream sends it); undefined when gone. */
  async one(me: string, id: string): Promise<Notification | undefined> {
    const [row] = await this.db.query<Row>(`SELECT ${COLUMNS} FROM notifications n WHERE n.id = $1 AND n.recipient_id = $2`, [id, me]);
    return row && row.actors.length ? toNotification(row) : undefined;
  }

  /**
   * `one` and `unread` in one statement (and one snapshot): what the stream sends for each new
   * notification, so a burst of them costs one round trip each rather than two.
   */
  async oneAndUnread(me: string, id: string): Promise<{ notification: Notification | undefined; unread: number }> {
    const [row] = await this.db.query<{ unread: string } & { [K in keyof Row]: Row[K] | null }>(
      `SELECT (SELECT count(*) FROM notifications n WHERE n.recipient_id = $2 AND n.read_at IS NULL AND ${SHOWN}) AS unread, x.*
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT ${COLUMNS} FROM notifications n WHERE n.id = $1 AND n.recipient_id = $2) x ON true`,
      [id, me],
    );
    const found = row!.id !== null && row!.actors?.length ? toNotification(row as Row) : undefined;
    return { notification: found, unread: Number(row!.unread) };
  }

  async unread(me: string, on: Queryable = this.db): Promise<UnreadCount> {
    const [row] = await on.query<{ n: string }>(
      `SELECT count(*) AS n FROM notifications n WHERE n.recipient_id = $1 AND n.read_at IS NULL AND ${SHOWN}`,
      [me],
    );
    return { unread: Number(row!.n) };
  }

  /** Idempotent; 404 for an id that is not one of yours (whether or not it exists). */
  async markRead(me: string, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ id: string }>(
        'UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND recipient_id = $2 RETURNING id',
        [id, me],
      );
      if (!row) throw problems.notFound('No such notification.');
      await announce(tx, { recipientId: me });
    });
  }

  /** Marks every unread notification of yours read; returns how many changed. */
  async markAllRead(me: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const changed = await tx.execute('UPDATE notifications SET read_at = now() WHERE recipient_id = $1 AND read_at IS NULL', [me]);
      if (changed) await announce(tx, { recipientId: me });
      return changed;
    });
  }
}
