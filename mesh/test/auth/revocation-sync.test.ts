/**
 * The revocations table and its reader on a real PostgreSQL (mesh/src/auth/revocation-*.ts): what the
 * events write, what a replica reads at start and at each refresh — including a row committed late by
 * a transaction that began before a read — and what expires.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createDatabase, type Database } from '../../src/db/database.js';
import { REVOCATIONS_TABLE_SQL } from '../../src/auth/revocation-store.js';
import { applyRevocationEvent } from '../../src/auth/revocation-events.js';
import { RevocationSync } from '../../src/auth/revocation-sync.js';
import type { EventEnvelope } from '../../src/events/envelope.js';
import type { UserPrincipal } from '../../src/auth/principal.js';
import { freshDatabase } from '../../../test/helpers/db.js';

let db: Database;
const syncs: RevocationSync[] = [];
const TTL = 900;

beforeAll(async () => {
  db = createDatabase({ url: await freshDatabase('revocations'), poolMax: 4 });
  await db.execute(REVOCATIONS_TABLE_SQL);
});
afterAll(async () => {
  await Promise.all(syncs.map((s) => s.stop()));
  await db?.close();
});

/** A replica's reader; not started on a timer: the test calls refresh() where a tick would. */
function replica(): RevocationSync {
  const s = new RevocationSync({ db, logger: pino({ level: 'silent' }), intervalMs: 3_600_000 });
  syncs.push(s);
  return s;
}

const tokenOf = (userId: string, sessionId = randomUUID()): UserPrincipal => ({
  kind: 'user',
  userId,
  sessionId,
  roles: [],
  tokenId: randomUUID(),
  issuedAt: Math.floor(Date.now() / 1000) - 60,
  expiresAt: Math.floor(Date.now() / 1000) + 600,
});

let seq = 0;
function event(type: string, aggregateId: string, payload: Record<string, unknown> = {}, over: Partial<EventEnvelope> = {}): EventEnvelope {
  return { id: randomUUID(), type, producer: 'auth', aggregateId, sequence: ++seq, occurredAt: new Date().toISOString(), payload, ...over };
}
const sessionRevoked = (userId: string, sessionIds: string[], revokedAt = new Date()) =>
  event('session.revoked', userId, { userId, sessionIds, revokedAt: revokedAt.toISOString() });
const apply = (e: EventEnvelope) => db.transaction((tx) => applyRevocationEvent(tx, e, TTL));

describe('revocations across replicas of one service', () => {
  it('a replica that starts after the events reads them all at start', async () => {
    const [user, sid] = [randomUUID(), randomUUID()];
    const suspended = randomUUID();
    await apply(sessionRevoked(user, [sid]));
    await apply(event('account.suspended', suspended));
    const late = replica();
    expect(late.check(tokenOf(user, sid))).toBe('revocations_unavailable'); // not loaded yet: fail closed
    await late.start();
    expect(late.check(tokenOf(user, sid))).toBe('session_revoked');
    expect(late.check(tokenOf(user))).toBeUndefined();
    expect(late.check(tokenOf(suspended))).toBe('account_suspended');
  });

  it('an event written through one replica reaches another at its next read', async () => {
    const other = replica();
    await other.start();
    const user = randomUUID();
    expect(other.check(tokenOf(user))).toBeUndefined();
    await apply(event('account.deleted', user));
    expect(other.check(tokenOf(user))).toBeUndefined(); // not before it reads
    await other.refresh();
    expect(other.check(tokenOf(user))).toBe('account_deleted');
  });

  it('misses no row committed after a read by a transaction that began before it', async () => {
    const r = replica();
    await r.start();
    const [user, sid] = [randomUUID(), randomUUID()];
    let release!: () => void;
    const held = new Promise<void>((ok) => (release = ok));
    let written!: () => void;
    const wrote = new Promise<void>((ok) => (written = ok));
    const slow = db.transaction(async (tx) => {
      await applyRevocationEvent(tx, sessionRevoked(user, [sid]), TTL);
      written();
      await held; // not committed while the replica reads
    });
    await wrote;
    await apply(sessionRevoked(randomUUID(), [randomUUID()])); // a later transaction commits first
    await r.refresh();
    expect(r.check(tokenOf(user, sid))).toBeUndefined();
    release();
    await slow;
    await r.refresh();
    expect(r.check(tokenOf(user, sid))).toBe('session_revoked');
  });

  it('keeps account order by sequence: a lifted suspension stays lifted, a deletion stays', async () => {
    const r = replica();
    await r.start();
    const [a, d] = [randomUUID(), randomUUID()];
    await apply(event('account.suspended', a, {}, { sequence: 10 }));
    await apply(event('account.unsuspended', a, {}, { sequence: 11 }));
    await apply(event('account.suspended', a, {}, { sequence: 9 })); // an older one, delivered late
    await r.refresh();
    expect(r.check(tokenOf(a))).toBeUndefined();
    await apply(event('account.suspended', a, {}, { sequence: 12 }));
    await r.refresh();
    expect(r.check(tokenOf(a))).toBe('account_suspended');

    await apply(event('account.deleted', d, {}, { sequence: 5 }));
    await apply(event('account.unsuspended', d, {}, { sequence: 6 }));
    await r.refresh();
    expect(r.check(tokenOf(d))).toBe('account_deleted');
  });

  it('keeps an entry for one token lifetime plus skew, then loads it no more and deletes it', async () => {
    const [user, sid] = [randomUUID(), randomUUID()];
    const revokedAt = new Date(Date.now() - 30 * 60_000); // 30 min ago: every token it could refuse has expired
    await apply(sessionRevoked(user, [sid], revokedAt));
    const [row] = await db.query<{ lifetime: number }>(
      `SELECT extract(epoch FROM expires_at - revoked_at)::int AS lifetime FROM revocations WHERE subject = $1`,
      [sid],
    );
    expect(row!.lifetime).toBe(TTL + 120);
    const r = replica();
    await r.start();
    expect(r.check(tokenOf(user, sid))).toBeUndefined();
    const [live] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM revocations WHERE expires_at > now() AND state <> 'active'`);
    expect(r.set.size).toBe(Number(live!.n));
    // Rows expired over an hour ago are deleted by the readers' housekeeping.
    const old = randomUUID();
    await apply(sessionRevoked(user, [old], new Date(Date.now() - 3 * 3_600_000)));
    await replica().start();
    expect(await db.query('SELECT 1 FROM revocations WHERE subject = $1', [old])).toEqual([]);
  });

  it('refuses a malformed session.revoked (the inbox turns it into a 400 and a dead letter)', async () => {
    await expect(apply(event('session.revoked', randomUUID(), { userId: 'x', sessionIds: [] }))).rejects.toThrow(/uuid|Invalid/i);
  });
});

describe('the revocation lag metric', () => {
  it('agora_revocations_sync_age_seconds counts from the last successful read, and keeps growing while reads fail', async () => {
    const registry = new Registry();
    const ownDb = createDatabase({ url: await freshDatabase('revocations_lag'), poolMax: 1 });
    await ownDb.execute(REVOCATIONS_TABLE_SQL);
    const sync = new RevocationSync({ db: ownDb, logger: pino({ level: 'silent' }), intervalMs: 3_600_000, registry });
    const age = async () => (await registry.getSingleMetric('agora_revocations_sync_age_seconds')!.get()).values[0]!.value;
    try {
      await sync.refresh();
      expect(await age()).toBeLessThan(1);
      await new Promise((r) => setTimeout(r, 1_200));
      expect(await age()).toBeGreaterThanOrEqual(1.2);
      await sync.refresh();
      expect(await age()).toBeLessThan(1);
      // The table gone (as good as a database the replica cannot read): the age is not reset.
      await ownDb.execute('DROP TABLE revocations');
      await new Promise((r) => setTimeout(r, 1_200));
      await sync.refresh();
      expect(await age()).toBeGreaterThanOrEqual(1.2);
    } finally {
      await sync.stop();
      await ownDb.close();
    }
  });
});
