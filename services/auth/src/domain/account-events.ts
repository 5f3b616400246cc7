import { applyRevocationEvent, consumersOf, isRevocationEvent, type EventPublisher, type EventType, type Queryable } from '@agora/mesh';

export type AccountEventType = Extract<EventType, `account.${string}`>;

/** What every `account.*` event carries (docs/events.md): the account's state after the change. */
export function accountEventPayload(a: { username: string; status: string }): Record<string, unknown> {
  // A deleted account's name is not repeated: consumers only need to know it is gone.
  return a.status === 'deleted' ? { status: 'deleted' } : { username: a.username, status: a.status };
}

/**
 * Publishes `account.*` events on the transaction of the change: raises the account's event sequence
 * and hands the state after the change to the outbox (mesh EventPublisher). A suspension, its lifting
 * and a deletion also go into auth's own revocation table. For `account.deleted` it also records
 * which services still have to erase the account (pending_erasures).
 */
export class AccountEvents {
  constructor(
    private readonly publisher: EventPublisher,
    /** auth's access-token life: how long auth's own revocation entry for a suspended/deleted account lives. */
    private readonly accessTokenTtlSeconds: number,
  ) {}

  async emit(tx: Queryable, type: AccountEventType, userId: string): Promise<void> {
    const [a] = await tx.query<{ id: string; username: string; status: string; event_seq: string }>(
      'UPDATE users SET event_seq = event_seq + 1 WHERE id = $1 RETURNING id, username, status, event_seq',
      [userId],
    );
    if (!a) throw new Error('account vanished inside its own transaction');
    if (type === 'account.deleted') {
      for (const consumer of consumersOf('account.deleted')) {
        await tx.execute('INSERT INTO pending_erasures (user_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING', [a.id, consumer]);
      }
    }
    const event = await this.publisher.publish(tx, { type, aggregateId: a.id, sequence: Number(a.event_seq), payload: accountEventPayload(a) });
    // auth checks the same revocation set as every consumer: it records its own event the same way.
    if (isRevocationEvent(type)) await applyRevocationEvent(tx, event, this.accessTokenTtlSeconds);
  }

  /**
   * A consumer confirmed `account.deleted` (the delivery worker's onDelivered): that service holds
   * nothing of the account any more. When it was the last one, the username is released.
   */
  async erasureConfirmed(tx: Queryable, userId: string, consumer: string): Promise<void> {
    await tx.execute('DELETE FROM pending_erasures WHERE user_id = $1 AND consumer = $2', [userId, consumer]);
    await tx.execute(
      `UPDATE users SET username = 'deleted-' || id, updated_at = now()
        WHERE id = $1 AND status = 'deleted' AND username <> 'deleted-' || id
          AND NOT EXISTS (SELECT 1 FROM pending_erasures WHERE user_id = $1)`,
      [userId],
    );
  }
}
