import { createHash, randomBytes } from 'node:crypto';
import { problems, type Database, type UserPrincipal } from '@agora/mesh';

/**
 * Who a stream stands for: the access token that opened it (directly or through a ticket), so the
 * stream ends when that token expires or its session or account is revoked (stream-hub.ts).
 */
export interface StreamHolder {
  userId: string;
  /** The token's session (`sid`). */
  sessionId: string;
  /** The token's `iat`, epoch seconds. */
  issuedAt: number;
  /** Epoch seconds: the token expires then. */
  until: number;
}

/** The stream holder of a verified access token. */
export function streamHolder(principal: UserPrincipal): StreamHolder {
  return { userId: principal.userId.toLowerCase(), sessionId: principal.sessionId, issuedAt: principal.issuedAt, until: principal.expiresAt };
}

const hash = (ticket: string) => createHash('sha256').update(ticket).digest();

/**
 * Single-use tickets for `GET /api/v1/notifications/stream`: a browser's EventSource cannot send an
 * Authorization header, so the web app first asks for a ticket with its access token and passes it
 * as `?ticket=`. 256 random bits, stored as their SHA-256 (a database read leaks no usable
 * ticket), redeemed by one DELETE … RETURNING (two streams cannot share one), short-lived, and the
 * stream it opens ends when the token that asked for it expires.
 */
export class StreamTickets {
  constructor(
    private readonly db: Database,
    private readonly ttlSeconds: number,
  ) {}

  async issue(token: StreamHolder): Promise<{ ticket: string; expiresAt: Date }> {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Math.min(Date.now() + this.ttlSeconds * 1000, token.until * 1000));
    await this.db.execute('DELETE FROM stream_tickets WHERE expires_at < now()');
    await this.db.execute(
      `INSERT INTO stream_tickets (hash, user_id, session_id, token_issued_at, token_expires_at, expires_at)
       VALUES ($1, $2, $3, $4, to_timestamp($5), $6)`,
      [hash(ticket), token.userId, token.sessionId, token.issuedAt, token.until, expiresAt],
    );
    return { ticket, expiresAt };
  }

  /** 401 for an unknown, used or expired ticket (one answer for all three). */
  async redeem(ticket: string): Promise<StreamHolder> {
    const [row] = await this.db.query<{ userId: string; sessionId: string; issuedAt: string; until: string; live: boolean }>(
      `DELETE FROM stream_tickets WHERE hash = $1 RETURNING user_id AS "userId", session_id AS "sessionId", token_issued_at AS "issuedAt",
         extract(epoch FROM token_expires_at)::float8 AS until, expires_at > now() AS live`,
      [hash(ticket)],
    );
    if (!row || !row.live) throw problems.unauthorized('The stream ticket is invalid, used or expired; ask for a new one.');
    return { userId: row.userId, sessionId: row.sessionId, issuedAt: Number(row.issuedAt), until: Number(row.until) };
  }
}
