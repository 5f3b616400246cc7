import * as z from 'zod';
import type { Queryable } from '../db/database.js';
import type { EventType } from '../events/catalogue.js';
import type { EventEnvelope } from '../events/envelope.js';
import { recordAccountState, recordSessionRevocations } from './revocation-store.js';
import { CLOCK_TOLERANCE_SECONDS } from './token-verifier.js';

/** The events that feed every service's revocation set (mesh/src/events/catalogue.ts). */
export const REVOCATION_EVENT_TYPES = [
  'session.revoked',
  'account.suspended',
  'account.unsuspended',
  'account.deleted',
] as const satisfies readonly EventType[];
export type RevocationEventType = (typeof REVOCATION_EVENT_TYPES)[number];

export function isRevocationEvent(type: string): type is RevocationEventType {
  return (REVOCATION_EVENT_TYPES as readonly string[]).includes(type);
}

/** At most this many session ids in one `session.revoked` (auth splits a longer list): ~20 KB, far below the body limit. */
export const MAX_SESSIONS_PER_EVENT = 500;

/** `session.revoked`'s payload (docs/events.md): the sessions auth ended, whose, and when. */
export const sessionRevokedPayload = z.object({
  userId: z.string().uuid(),
  sessionIds: z.array(z.string().uuid()).min(1).max(MAX_SESSIONS_PER_EVENT),
  revokedAt: z.string().datetime({ offset: true }),
});

/**
 * How long an entry must be kept: until the last access token issued before the revocation has
 * expired, as the most tolerant check sees it — its life, plus the 60 s skew the verifier and Envoy
 * accept, plus the same again for the distance between auth's clock and the database's.
 */
export function revocationExpiry(revokedAt: Date, accessTokenTtlSeconds: number): Date {
  return new Date(revokedAt.getTime() + (accessTokenTtlSeconds + 2 * CLOCK_TOLERANCE_SECONDS) * 1000);
}

const ACCOUNT_STATE: Record<Exclude<RevocationEventType, 'session.revoked'>, 'suspended' | 'active' | 'deleted'> = {
  'account.suspended': 'suspended',
  'account.unsuspended': 'active',
  'account.deleted': 'deleted',
};

/**
 * Writes what a revocation event means into the service's `revocations` table, on the inbox's
 * transaction (so exactly once, and only if the rest of the event's handling commits). The account
 * events' time is the envelope's `occurredAt`; their payloads are read by the services that keep
 * more of the account (users), not here.
 */
export async function applyRevocationEvent(tx: Queryable, event: EventEnvelope, accessTokenTtlSeconds: number): Promise<void> {
  if (!isRevocationEvent(event.type)) throw new Error(`${event.type} is not a revocation event`);
  if (event.type === 'session.revoked') {
    const p = sessionRevokedPayload.parse(event.payload);
    const revokedAt = new Date(p.revokedAt);
    await recordSessionRevocations(tx, {
      userId: p.userId,
      sessionIds: p.sessionIds.map((s) => s.toLowerCase()),
      revokedAt,
      expiresAt: revocationExpiry(revokedAt, accessTokenTtlSeconds),
    });
    return;
  }
  const at = new Date(event.occurredAt);
  if (Number.isNaN(at.getTime())) throw new z.ZodError([{ code: 'custom', path: ['occurredAt'], message: 'must be a date-time' }]);
  await recordAccountState(tx, {
    userId: event.aggregateId,
    state: ACCOUNT_STATE[event.type],
    sequence: event.sequence,
    revokedAt: at,
    expiresAt: revocationExpiry(at, accessTokenTtlSeconds),
  });
}
