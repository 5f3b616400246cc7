import { profileReadModelTablesSql, type Migration } from '@agora/mesh';

/**
 * Notifications and what they are built from (services/notifications/README.md):
 *  - actors: what users' `profile.updated` says of each user (the embedded actor, and the names
 *    `@mentions` resolve against); profile_seq drops an older event. Not unique by username: two
 *    renames delivered out of order may briefly hold the same name, and an event must never fail
 *    for that (a mention resolves to the most recently updated holder);
 *  - deleted_actors: users erased by `account.deleted` (a late event cannot bring one back);
 *  - notifications: one row per entry of the list. Likes and comments on one post, and new
 *    followers, gather in one row while it is unread (`group_key`, unique among a recipient's unread
 *    rows); a read row is never added to, so the next like starts a new one. Mentions never group.
 *    The list is ordered by updated_at (a group that gains an actor moves to the top);
 *  - notification_actors: who is behind each row, newest first;
 *  - notified: one notification per (recipient, kind, actor, subject), ever: liking, unliking and
 *    liking again notifies once; a redelivered event is already stopped by the inbox;
 *  - stream_tickets: single-use tickets for the browser's EventSource (which cannot send an
 *    Authorization header), stored as SHA-256 hashes, 60 s by default.
 * No text of a post or comment is stored here: the events carry it only to find mentions.
 */
export const notificationsSchema: Migration = {
  name: '0001-notifications',
  async up({ context: db }) {
    await db.execute(`
      ${profileReadModelTablesSql({ table: 'actors', tombstones: 'deleted_actors' })}
      CREATE INDEX actors_username_lower_idx ON actors (lower(username), updated_at DESC);

      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipient_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('follow', 'like', 'comment', 'mention')),
        post_id uuid,
        comment_id uuid,
        group_key text,
        actor_count integer NOT NULL DEFAULT 1 CHECK (actor_count >= 0),
        -- clock_timestamp(): distinct, increasing times even within one transaction (keyset order).
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        read_at timestamptz
      );
      CREATE UNIQUE INDEX notifications_open_group_key ON notifications (recipient_id, group_key)
        WHERE read_at IS NULL AND group_key IS NOT NULL;
      -- The list, newest first: one index range scan per page.
      CREATE INDEX notifications_page_idx ON notifications (recipient_id, updated_at DESC, id DESC);
      CREATE INDEX notifications_unread_idx ON notifications (recipient_id) WHERE read_at IS NULL;

      CREATE TABLE notification_actors (
        notification_id uuid NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
        actor_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (notification_id, actor_id)
      );
      CREATE INDEX notification_actors_newest_idx ON notification_actors (notification_id, at DESC);
      CREATE INDEX notification_actors_actor_idx ON notification_actors (actor_id);

      CREATE TABLE notified (
        recipient_id uuid NOT NULL,
        kind text NOT NULL,
        actor_id uuid NOT NULL,
        subject_id uuid NOT NULL,
        PRIMARY KEY (recipient_id, kind, actor_id, subject_id)
      );
      CREATE INDEX notified_actor_idx ON notified (actor_id);

      CREATE TABLE stream_tickets (
        hash bytea PRIMARY KEY,
        user_id uuid NOT NULL,
        -- The stream a ticket opens ends when the access token that asked for the ticket expires.
        token_expires_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX stream_tickets_expiry_idx ON stream_tickets (expires_at);
    `);
  },
  async down({ context: db }) {
    await db.execute('DROP TABLE stream_tickets, notified, notification_actors, notifications, deleted_actors, actors');
  },
};
