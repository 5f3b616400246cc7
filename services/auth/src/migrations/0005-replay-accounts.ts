import { consumersOf, EventPublisher, type Migration } from '@agora/mesh';
import { accountEventPayload } from '../domain/account-events.js';

/**
 * The backfill of issue 12, as a migration that requests a replay: every existing account is
 * published once more — `account.registered` for a live one (users creates the profile an account
 * registered before the events existed never got; an existing profile is left as it is) and
 * `account.deleted` for a deleted one (posts and media never erased those before; the username is
 * released when they confirm). One transaction: the replay is requested completely or not at all.
 * The worker delivers it after the service starts; the events carry the attempt limit of the
 * default configuration.
 */
export const replayAccounts: Migration = {
  name: '0005-replay-accounts',
  async up({ context: db }) {
    const publisher = new EventPublisher('auth', 12);
    await db.transaction(async (tx) => {
      const accounts = await tx.query<{ id: string; username: string; status: 'active' | 'suspended' | 'deleted'; event_seq: string }>(
        'UPDATE users SET event_seq = event_seq + 1 RETURNING id, username, status, event_seq',
      );
      for (const a of accounts) {
        const type = a.status === 'deleted' ? 'account.deleted' : 'account.registered';
        if (a.status === 'deleted') {
          for (const consumer of consumersOf('account.deleted')) {
            await tx.execute('INSERT INTO pending_erasures (user_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING', [a.id, consumer]);
          }
        }
        await publisher.publish(tx, { type, aggregateId: a.id, sequence: Number(a.event_seq), payload: accountEventPayload(a) });
      }
    });
  },
};
