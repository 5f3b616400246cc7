import type { Migration } from '@agora/mesh';

/**
 * What notifications needs to take back notifications whose content is gone (post.deleted,
 * comment.deleted, post.unliked; services/notifications/README.md "Removed content"):
 *  - removed_content: tombstones of deleted posts and comments — an event about one that arrives
 *    late (a like, a comment, a mention) records nothing;
 *  - like_states: each (post, liker)'s latest like or unlike by the post's event sequence, so a
 *    like delivered after its unlike cannot bring the notification back;
 *  - notification_comments: which comments stand behind each comment notification, so deleting one
 *    takes its writer out of the group only when none of theirs is left. Comment notifications
 *    recorded before this migration get their newest comment (the one `comment_id` names, written
 *    by the newest actor); an older actor of such a group has no tracked comment and stays.
 */
export const removedContent: Migration = {
  name: '0004-removed-content',
  async up({ context: db }) {
    await db.execute(`
      CREATE TABLE removed_content (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('post', 'comment')),
        removed_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE like_states (
        post_id uuid NOT NULL,
        liker_id uuid NOT NULL,
        liked boolean NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (post_id, liker_id)
      );
      CREATE INDEX like_states_liker_idx ON like_states (liker_id);

      CREATE TABLE notification_comments (
        notification_id uuid NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
        comment_id uuid NOT NULL,
        actor_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (notification_id, comment_id)
      );
      CREATE INDEX notification_comments_comment_idx ON notification_comments (comment_id);
      CREATE INDEX notification_comments_actor_idx ON notification_comments (actor_id);

      CREATE INDEX notifications_post_idx ON notifications (post_id) WHERE post_id IS NOT NULL;
      CREATE INDEX notifications_comment_idx ON notifications (comment_id) WHERE comment_id IS NOT NULL;

      INSERT INTO notification_comments (notification_id, comment_id, actor_id)
      SELECT n.id, n.comment_id, newest.actor_id
        FROM notifications n
        CROSS JOIN LATERAL (SELECT na.actor_id FROM notification_actors na WHERE na.notification_id = n.id ORDER BY na.at DESC LIMIT 1) newest
       WHERE n.kind = 'comment' AND n.comment_id IS NOT NULL;
    `);
  },
  async down({ context: db }) {
    await db.execute(`
      DROP INDEX notifications_post_idx, notifications_comment_idx;
      DROP TABLE notification_comments, like_states, removed_content;
    `);
  },
};
