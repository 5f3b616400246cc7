import { SERVICE_NAMES, type ServiceName } from '../topology.js';

/**
 * The event catalogue: who publishes each event and who receives it. The one place that says so —
 * the producer's outbox fans out to these consumers, each consumer's `POST /internal/v1/<name>/events`
 * admits exactly the producers that send to it (a test compares its `mesh` security with this), and
 * docs/events.md documents the payloads.
 */
export interface EventDefinition {
  producer: ServiceName;
  consumers: readonly ServiceName[];
}

/**
 * Every service but auth checks access tokens, so every one keeps the revocation set (SECURITY.md
 * "Revocation") and must hear of ended sessions and of suspended and deleted accounts: derived from
 * the service list, so a new service receives them without an edit here.
 */
const TOKEN_CHECKERS: readonly ServiceName[] = SERVICE_NAMES.filter((s) => s !== 'auth');

export const EVENT_CATALOGUE = {
  'account.registered': { producer: 'auth', consumers: ['users'] },
  'account.updated': { producer: 'auth', consumers: ['users'] },
  'account.suspended': { producer: 'auth', consumers: TOKEN_CHECKERS },
  'account.unsuspended': { producer: 'auth', consumers: TOKEN_CHECKERS },
  'account.deleted': { producer: 'auth', consumers: TOKEN_CHECKERS },
  'session.revoked': { producer: 'auth', consumers: TOKEN_CHECKERS },
  'profile.updated': { producer: 'users', consumers: ['posts', 'notifications'] },
  'user.followed': { producer: 'users', consumers: ['notifications'] },
  'relationship.updated': { producer: 'users', consumers: ['posts', 'notifications'] },
  'content.removed': { producer: 'users', consumers: ['posts'] },
  'post.created': { producer: 'posts', consumers: ['notifications'] },
  'post.liked': { producer: 'posts', consumers: ['notifications'] },
  'post.unliked': { producer: 'posts', consumers: ['notifications'] },
  'post.deleted': { producer: 'posts', consumers: ['notifications'] },
  'comment.created': { producer: 'posts', consumers: ['notifications'] },
  'comment.deleted': { producer: 'posts', consumers: ['notifications'] },
  'media.updated': { producer: 'media', consumers: ['posts'] },
  'media.deleted': { producer: 'media', consumers: ['posts'] },
} as const satisfies Record<string, EventDefinition>;

export type EventType = keyof typeof EVENT_CATALOGUE;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, type);
}

/** The services that receive `type`. */
export function consumersOf(type: EventType): readonly ServiceName[] {
  return EVENT_CATALOGUE[type].consumers;
}

/** The services that send events to `consumer` (its events endpoint's `@Security('mesh', …)`). */
export function producersFor(consumer: ServiceName): ServiceName[] {
  const producers = new Set<ServiceName>();
  for (const def of Object.values(EVENT_CATALOGUE) as EventDefinition[]) if (def.consumers.includes(consumer)) producers.add(def.producer);
  return [...producers].sort();
}

/** The services `producer` delivers to. */
export function consumersFrom(producer: ServiceName): ServiceName[] {
  const consumers = new Set<ServiceName>();
  for (const def of Object.values(EVENT_CATALOGUE) as EventDefinition[])
    if (def.producer === producer) for (const c of def.consumers) consumers.add(c);
  return [...consumers].sort();
}
