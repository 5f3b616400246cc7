/**
 * One event as it travels from a producer's outbox to a consumer's inbox. Events carry state, not
 * deltas (an `account.*` event carries the account's username and status after the change), so a
 * consumer can apply any of them on its own and drop one that is older than what it holds: that,
 * with `sequence`, is how per-aggregate order is kept whatever order deliveries arrive in
 * (docs/events.md, "Ordering").
 */
export interface EventEnvelope {
  /**
   * Unique per event; the consumers' inbox key (a redelivery carries the same id).
   * @pattern ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$
   */
  id: string;
  /**
   * The event's name in the catalogue, e.g. `account.deleted`.
   * @pattern ^[a-z]+\.[a-z]+$
   * @maxLength 64
   */
  type: string;
  /**
   * The service that published it.
   * @pattern ^[a-z]+$
   * @maxLength 32
   */
  producer: string;
  /**
   * The id of the thing that changed (the account, the profile).
   * @pattern ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$
   */
  aggregateId: string;
  /**
   * Increases with every event of one aggregate: a consumer ignores an event older than the state it holds.
   * @isInt
   * @minimum 1
   */
  sequence: number;
  /** When the change committed (ISO 8601). */
  occurredAt: string;
  /** The event's fields (docs/events.md); checked by the consumer's handler. */
  payload: { [key: string]: unknown };
}

/** What a consumer's events endpoint answers: applied now, or already applied earlier (a redelivery). */
export interface EventReceipt {
  outcome: 'applied' | 'duplicate';
}

/** What a producer hands to `EventPublisher.publish`; id, producer and time are filled in. */
export interface NewEvent {
  type: string;
  aggregateId: string;
  sequence: number;
  payload: Record<string, unknown>;
}
