import type { Queryable } from '@agora/mesh';

/** The PostgreSQL channel every replica LISTENs on (domain/listener.ts); payload: NotifyMessage. */
export const NOTIFY_CHANNEL = 'agora_notifications';

/** What travels on NOTIFY_CHANNEL: ids only, never content (NOTIFY payloads are visible to every listener of the database). */
export interface NotifyMessage {
  recipientId: string;
  /** The notification that was created or changed; absent when only read state changed. */
  notificationId?: string;
  /**
   * What happened to it: absent when it was created or gained an actor; `updated` when it lost an
   * actor (or its newest comment) and stays; `removed` when it is gone (removals.ts).
   */
  change?: 'updated' | 'removed';
}

export type NotificationKind = 'follow' | 'like' | 'comment' | 'mention';

export interface NewNotification {
  recipientId: string;
  kind: NotificationKind;
  actorId: string;
  postId?: string;
  commentId?: string;
  /** What makes it the same notification again (the post liked, the follow's followee, the comment). */
  subjectId: string;
}

/**
 * The write side: records one notification on the event's transaction, grouped where it reads
 * better, and announces it with pg_notify, which PostgreSQL delivers to every replica's listener
 * when (and only if) the transaction commits.
 *
 * Grouping: likes of one post, comments on one post, and new followers gather in one unread row
 * per recipient (`group_key`); the row counts its distinct actors and moves to the top of the list.
 * Once read, it is closed: the next like starts a new row. Mentions are never grouped.
 */
export class Notifier {
  constructor(private readonly onRecorded: (kind: NotificationKind) => void = () => undefined) {}

  /**
   * Returns the notification's id, or undefined when nothing was recorded (yourself, a repeat, an
   * erased user, an actor the recipient blocks or mutes).
   */
  async record(tx: Queryable, n: NewNotification): Promise<string | undefined> {
    if (n.recipientId === n.actorId) return undefined;
    // Nothing is recorded for an erased recipient or actor, an actor the recipient blocks or mutes, or
    // a late event about a post or comment that was deleted (removals.ts). One statement for the three
    // checks: every like of a burst passes them, and each round trip is CPU on both sides.
    const [barred] = await tx.query<{ barred: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM deleted_actors WHERE id IN ($1, $2))
           OR EXISTS (SELECT 1 FROM relationships WHERE owner_id = $1 AND other_id = $2 AND (blocked OR muted))
           OR EXISTS (SELECT 1 FROM removed_content WHERE id = ANY($3::uuid[])) AS barred`,
      [n.recipientId, n.actorId, [n.postId, n.commentId].filter(Boolean)],
    );
    if (barred!.barred) return undefined;
    const first = await tx.execute('INSERT INTO notified (recipient_id, kind, actor_id, subject_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
      n.recipientId,
      n.kind,
      n.actorId,
      n.subjectId,
    ]);
    if (!first) return undefined;
    const groupKey = groupKeyOf(n);
    const [row] = groupKey
      ? await tx.query<{ id: string; created: boolean }>(
          `INSERT INTO notifications (recipient_id, kind, post_id, comment_id, group_key) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (recipient_id, group_key) WHERE read_at IS NULL AND group_key IS NOT NULL
           DO UPDATE SET updated_at = clock_timestamp(), comment_id = EXCLUDED.comment_id
           RETURNING id, (xmax = 0) AS created`,
          [n.recipientId, n.kind, n.postId ?? null, n.commentId ?? null, groupKey],
        )
      : await tx.query<{ id: string; created: boolean }>(
          `INSERT INTO notifications (recipient_id, kind, post_id, comment_id) VALUES ($1, $2, $3, $4) RETURNING id, true AS created`,
          [n.recipientId, n.kind, n.postId ?? null, n.commentId ?? null],
        );
    const [actor] = await tx.query<{ added: boolean }>(
      `INSERT INTO notification_actors (notification_id, actor_id) VALUES ($1, $2)
       ON CONFLICT (notification_id, actor_id) DO UPDATE SET at = clock_timestamp()
       RETURNING (xmax = 0) AS added`,
      [row!.id, n.actorId],
    );
    if (!row!.created && actor!.added) await tx.execute('UPDATE notifications SET actor_count = actor_count + 1 WHERE id = $1', [row!.id]);
    // Which comments stand behind a comment notification: deleting one takes its writer out only when none is left.
    if (n.kind === 'comment' && n.commentId)
      await tx.execute('INSERT INTO notification_comments (notification_id, comment_id, actor_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        row!.id,
        n.commentId,
        n.actorId,
      ]);
    await announce(tx, { recipientId: n.recipientId, notificationId: row!.id });
    // Counted before the commit: a rolled-back event is retried and counted again (a rare overcount).
    this.onRecorded(n.kind);
    return row!.id;
  }
}

function groupKeyOf(n: NewNotification): string | undefined {
  switch (n.kind) {
    case 'like':
    case 'comment':
      return `${n.kind}:${n.postId}`;
    case 'follow':
      return 'follow';
    case 'mention':
      return undefined;
  }
}

/** pg_notify on `tx`: sent to every listener when the transaction commits, dropped if it rolls back. */
export async function announce(tx: Queryable, message: NotifyMessage): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, JSON.stringify(message)]);
}
