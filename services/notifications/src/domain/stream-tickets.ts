import { createHash, randomBytes } from 'node:crypto';
import { problems, type Database } from '@agora/mesh';

/** Who a redeemed ticket stands for, and until when the stream it opens may stay open. */
export interface StreamHolder {
  userId: string;
  /** Epoch seconds: the access token that asked for the ticket expires then. */
  until: number;
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

  async issue(userId: string, tokenExpiresAt: number): Promise<{ ticket: string; expiresAt: Date }> {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Math.min(Date.now() + this.ttlSeconds * 1000, tokenExpiresAt * 1000));
    await this.db.execute('DELETE FROM stream_tickets WHERE expires_at < now()');
    await this.db.execute('INSERT INTO stream_tickets (hash, user_id, token_expires_at, expires_at) VALUES ($1, $2, to_timestamp($3), $4)', [
      hash(ticket),
      userId,
      tokenExpiresAt,
      expiresAt,
    ]);
    return { ticket, expiresAt };
  }

  /** 401 for an unknown, used or expired ticket (one answer for all three). */
  async redeem(ticket: string): Promise<StreamHolder> {
    const [row] = await this.db.query<{ userId: string; until: string; live: boolean }>(
      `DELETE FROM stream_tickets WHERE hash = $1 RETURNING user_id AS "userId", extract(epoch FROM token_expires_at)::float8 AS until,
         expires_at > now() AS live`,
      [hash(ticket)],
    );
    if (!row || !row.live) throw problems.unauthorized('The stream ticket is invalid, used or expired; ask for a new one.');
    return { userId: row.userId, until: Number(row.until) };
  }
}
