import { isUniqueViolation, problems, type Database, type Queryable } from '@agora/mesh';
import { USER_COLUMNS, type User } from '../models/index.js';
import { enqueueMail } from './mail.js';
import type { AccountEvents } from './account-events.js';
import { assertPasswordAllowed, hashPassword, verifyPassword } from './passwords.js';
import type { SecretBox } from './secret-box.js';

export interface NewAccount {
  username: string;
  email: string;
  password: string;
}

/** What a sign-up answers: the new account, or — for an email already registered — the same shape, mailed to its owner. */
export type Registration<T> = { created: true; user: User; also: T } | { created: false; username: string; email: string };

/**
 * Accounts: creation with case-insensitive uniqueness, and credential checks. Every change other
 * services must know of publishes its `account.*` event in the change's own transaction.
 */
export class Accounts {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly events: AccountEvents,
  ) {}

  /**
   * Creates the account. A taken username is a 409 (usernames are public); a taken email is not
   * told to the caller — its owner gets a mail instead, and the caller the same answer as a new
   * account — so sign-up cannot be used to learn who is registered. `alsoDo` runs in the new
   * account's transaction (its first session, its verification mail).
   */
  async register<T>(input: NewAccount, alsoDo: (tx: Queryable, user: User) => Promise<T>): Promise<Registration<T>> {
    const username = input.username.trim();
    const email = input.email.trim().toLowerCase();
    assertPasswordAllowed(username, input.password);
    await this.assertUsernameAvailable(username);
    // Hashed in both cases, so a taken email costs the same time as a new account.
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.db.transaction(async (tx) => {
        const [owner] = await tx.query<{ email: string }>(`SELECT email FROM users WHERE lower(email) = $1 AND status <> 'deleted'`, [email]);
        if (owner) {
          await enqueueMail(tx, this.box, {
            to: owner.email,
            subject: 'Someone tried to sign up to Agora with your address',
            text: 'Someone tried to create a new Agora account with this email address, which already has an account. Nothing was changed.\n\nIf it was you, sign in instead (or ask for a sign-in code). If not, you can ignore this mail.',
          });
          return { created: false as const, username, email };
        }
        const [user] = await tx.query<User>(`INSERT INTO users AS u (username, email, password_hash) VALUES ($1, $2, $3) RETURNING ${USER_COLUMNS}`, [
          username,
          email,
          passwordHash,
        ]);
        await this.events.emit(tx, 'account.registered', user!.id);
        return { created: true as const, user: user!, also: await alsoDo(tx, user!) };
      });
    } catch (err) {
      // Two registrations raced past the checks; the unique indexes decide. Only the username is told.
      if (isUniqueViolation(err)) {
        await this.assertUsernameAvailable(username);
        return { created: false, username, email };
      }
      throw err;
    }
  }

  /** The account with this id, whatever its status. */
  async find(userId: string): Promise<User | undefined> {
    const [user] = await this.db.query<User>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [userId]);
    return user;
  }

  /** The undeleted account that `login` (username or email, any case) names, whatever its status. */
  async findByLogin(login: string): Promise<User | undefined> {
    const [user] = await this.db.query<User>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE (lower(u.username) = $1 OR lower(u.email) = $1) AND u.status <> 'deleted' LIMIT 1`,
      [login.trim().toLowerCase()],
    );
    return user;
  }

  /**
   * Checks `password` against `user` (found by `findByLogin`). No account costs the same argon2 time
   * as a wrong password. The status is only told once the password is right: before that, a
   * suspended account is indistinguishable from a wrong password.
   */
  async checkPassword(user: User | undefined, password: string): Promise<{ user?: User; reason?: 'bad_credentials' | 'suspended' }> {
    const ok = await verifyPassword(user?.passwordHash, password);
    if (!user || !ok) return { reason: 'bad_credentials' };
    if (user.status !== 'active') return { reason: 'suspended' };
    return { user };
  }

  /**
   * Marks an account deleted in one transaction with `alsoDo` (revoking its sessions). Returns what
   * `alsoDo` returned, or undefined when there is no such account.
   */
  async markDeleted<T>(userId: string, alsoDo: (tx: Queryable) => Promise<T>): Promise<T | undefined> {
    return this.db.transaction(async (tx) => {
      const [user] = await tx.query<{ status: string }>('SELECT status FROM users WHERE id = $1 FOR UPDATE', [userId]);
      if (!user) return undefined;
      if (user.status !== 'deleted') {
        // The email is released (another account may take it); the row keeps the username reserved.
        await tx.execute(
          `UPDATE users SET status = 'deleted', email = 'deleted+' || id || '@invalid', password_hash = '!', updated_at = now() WHERE id = $1`,
          [userId],
        );
        await this.events.emit(tx, 'account.deleted', userId);
      }
      return alsoDo(tx);
    });
  }

  /** Sets an undeleted account's status with `alsoDo` in one transaction; undefined when there is no such account. */
  async setStatus<T>(userId: string, status: 'active' | 'suspended', alsoDo: (tx: Queryable) => Promise<T>): Promise<T | undefined> {
    return this.db.transaction(async (tx) => {
      const [user] = await tx.query<{ status: string }>('SELECT status FROM users WHERE id = $1 FOR UPDATE', [userId]);
      if (!user || user.status === 'deleted') return undefined;
      await tx.execute('UPDATE users SET status = $2, updated_at = now() WHERE id = $1', [userId, status]);
      if (user.status !== status) await this.events.emit(tx, status === 'suspended' ? 'account.suspended' : 'account.unsuspended', userId);
      return alsoDo(tx);
    });
  }

  /**
   * Renames an active account and publishes `account.updated` in the same transaction (users renames
   * the profile from it). The old name is free for others at once. Returns the new name; a name
   * another account holds (any case) is a 409, an account that is not active a 404.
   */
  async changeUsername(userId: string, newUsername: string): Promise<string> {
    const username = newUsername.trim();
    try {
      return await this.db.transaction(async (tx) => {
        const [user] = await tx.query<{ username: string; status: string }>('SELECT username, status FROM users WHERE id = $1 FOR UPDATE', [userId]);
        if (!user || user.status !== 'active') throw problems.notFound('No such active account.');
        if (user.username === username) return username;
        const [taken] = await tx.query<{ id: string }>('SELECT id FROM users WHERE lower(username) = lower($1) AND id <> $2', [username, userId]);
        if (taken) throw problems.conflict('That username is already registered.');
        await tx.execute('UPDATE users SET username = $2, updated_at = now() WHERE id = $1', [userId, username]);
        await this.events.emit(tx, 'account.updated', userId);
        return username;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw problems.conflict('That username is already registered.');
      throw err;
    }
  }

  private async assertUsernameAvailable(username: string): Promise<void> {
    const [taken] = await this.db.query<{ id: string }>('SELECT id FROM users WHERE lower(username) = lower($1) LIMIT 1', [username]);
    if (taken) throw problems.conflict('That username is already registered.');
  }
}
