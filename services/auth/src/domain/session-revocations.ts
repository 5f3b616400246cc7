import { applyRevocationEvent, MAX_SESSIONS_PER_EVENT, type EventPublisher, type Queryable } from '@agora/mesh';

/**
 * Ending sessions now, not when their access tokens expire: on the transaction that revoked them,
 * `session.revoked` goes to every consumer (each refuses the sessions' tokens within seconds), and
 * auth records the same revocation in its own `revocations` table, which its own authentication
 * reads like every other service's (docs/events.md, SECURITY.md "Revocation").
 */
export class SessionRevocations {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly accessTokenTtlSeconds: number,
  ) {}

  async revoked(tx: Queryable, userId: string, sessionIds: readonly string[], revokedAt: Date): Promise<void> {
    for (let i = 0; i < sessionIds.length; i += MAX_SESSIONS_PER_EVENT) {
      const event = await this.publisher.publish(tx, {
        type: 'session.revoked',
        aggregateId: userId,
        // A grow-only set: any order of arrival ends the same, so the sequence only has to rise.
        sequence: revokedAt.getTime(),
        payload: { userId, sessionIds: sessionIds.slice(i, i + MAX_SESSIONS_PER_EVENT), revokedAt: revokedAt.toISOString() },
      });
      await applyRevocationEvent(tx, event, this.accessTokenTtlSeconds);
    }
  }
}
