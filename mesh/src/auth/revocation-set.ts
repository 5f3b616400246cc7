import type { UserPrincipal } from './principal.js';
import { CLOCK_TOLERANCE_SECONDS } from './token-verifier.js';

/** Why a token whose signature checked out is still refused (docs: SECURITY.md, "Revocation"). */
export type RevokedReason = 'session_revoked' | 'account_suspended' | 'account_deleted' | 'revoked_before_overflow' | 'revocations_unavailable';

/** One revoked session (`sid`) or one suspended / deleted account (`sub`), until `expiresAt`. */
export interface RevocationEntry {
  kind: 'session' | 'account';
  /** The session id, or the account id. */
  subject: string;
  state: 'revoked' | 'suspended' | 'deleted' | 'active';
  /** When auth revoked it (ms since the epoch). */
  revokedAt: number;
  /** When every token it could refuse has expired (ms since the epoch): then it is dropped. */
  expiresAt: number;
}

/** What a revocation is looked up by: the token's account, session and issue time. */
export type RevocableToken = Pick<UserPrincipal, 'userId' | 'sessionId' | 'issuedAt'>;

/** What the authentication module asks after the signature check (and what long-lived streams ask again). */
export interface RevocationCheck {
  check(principal: RevocableToken, now?: number): RevokedReason | undefined;
}

/** Enough for a burst of ~100 revocations a second for a whole token lifetime; ~200 bytes each. */
export const DEFAULT_MAX_REVOCATIONS = 100_000;

/**
 * The revocations one replica holds in memory: by `sid` (revoked sessions) and by `sub` (suspended or
 * deleted accounts). Each entry lives until every token it could refuse has expired, then is dropped.
 *
 * Bounded: at `max` entries, the entry inserted first is evicted and the **floor** rises to its
 * revocation time (+ clock skew). From then on every token issued at or before the floor is refused
 * (`revoked_before_overflow`): the set fails closed, never open — an evicted revocation cannot let
 * its token back in. The clients concerned refresh (a live session gets a new token at once) or sign
 * in again; once the floor is older than a token lifetime, no token it refuses is alive anyway.
 */
export class RevocationSet implements RevocationCheck {
  private readonly sessions = new Map<string, RevocationEntry>();
  private readonly accounts = new Map<string, RevocationEntry>();
  /** Tokens issued at or before this (ms since the epoch) are refused: see the class comment. */
  private floor = 0;
  private evicted = 0;
  /** False until the first complete load from the database: until then nothing can be vouched for. */
  private loaded = false;

  constructor(private readonly max = DEFAULT_MAX_REVOCATIONS) {
    if (max < 1) throw new Error('RevocationSet needs room for at least one entry');
  }

  /** Applies one row as read from the table: a revocation is added, a lifted suspension removed. */
  apply(entry: RevocationEntry, now = Date.now()): void {
    const map = entry.kind === 'session' ? this.sessions : this.accounts;
    map.delete(entry.subject); // re-inserted below, so insertion order stays "oldest first"
    if (entry.state === 'active' || entry.expiresAt <= now) return;
    while (this.size >= this.max) this.evictOldest();
    map.set(entry.subject, entry);
  }

  /** The first complete load happened: checks answer from now on. */
  markLoaded(): void {
    this.loaded = true;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  get size(): number {
    return this.sessions.size + this.accounts.size;
  }

  /** Entries evicted at the bound since start (each one raised the floor). */
  get evictions(): number {
    return this.evicted;
  }

  /** Drops the entries whose tokens have all expired. */
  prune(now = Date.now()): void {
    for (const map of [this.sessions, this.accounts]) for (const [key, e] of map) if (e.expiresAt <= now) map.delete(key);
  }

  check(principal: RevocableToken, now = Date.now()): RevokedReason | undefined {
    if (!this.loaded) return 'revocations_unavailable';
    const account = this.live(this.accounts, principal.userId, now);
    if (account) return account.state === 'deleted' ? 'account_deleted' : 'account_suspended';
    if (this.live(this.sessions, principal.sessionId, now)) return 'session_revoked';
    if (principal.issuedAt * 1000 <= this.floor) return 'revoked_before_overflow';
    return undefined;
  }

  private live(map: Map<string, RevocationEntry>, key: string, now: number): RevocationEntry | undefined {
    const e = map.get(key);
    if (!e) return undefined;
    if (e.expiresAt > now) return e;
    map.delete(key);
    return undefined;
  }

  private evictOldest(): void {
    // Of the two maps, the one whose first (oldest inserted) entry was revoked first.
    const s = this.sessions.values().next().value;
    const a = this.accounts.values().next().value;
    const victim = !a || (s && s.revokedAt <= a.revokedAt) ? s : a;
    if (!victim) return;
    (victim.kind === 'session' ? this.sessions : this.accounts).delete(victim.subject);
    this.floor = Math.max(this.floor, victim.revokedAt + CLOCK_TOLERANCE_SECONDS * 1000);
    this.evicted += 1;
  }
}
