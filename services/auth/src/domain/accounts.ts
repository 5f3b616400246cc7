import { isUniqueViolation, problems, type Database, type Queryable } from '@agora/mesh';
import { USER_COLUMNS, type User } from '../models/index.js';
import type { AccountEvents } from './account-events.js';
import { hashPassword, verifyPassword } from './passwords.js';

export interface NewAccount {
  username: string;
  email: string;
  password: string;
}

/**
 * Accounts: creation with case-insensitive uniqueness, and credential checks. Every change other
 * services must know of publishes its `account.*` event in the change's own transaction.
 */
export class Accounts {
  constructor(
    private readonly db: Database,
    private readonly events: AccountEvents,
  ) {}

  async register(input: NewAccount): Promise<User> {
    const username = input.username.trim();
    const email = input.email.trim().toLowerCase();
    if (input.password.toLowerCase().includes(username.toLowerCase())) {
      throw problems.validation('The password must not contain the username.', [
        { field: 'password', message: 'must not contain the username' },
      ]);
    }
    await this.assertAvailable(username, email);
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.db.transaction(async (tx) => {
        const [user] = await tx.query<User>(
          `INSERT INTO users AS u (username, email, password_hash) VALUES ($1, $2, $3) RETURNING ${USER_COLUMNS}`,
          [username, email, passwordHash],
        );
        await this.events.emit(tx, 'account.registered', user!.id);
        return user!;
      });
    } catch (err) {
      // Two registrations raced past assertAvailable; the unique indexes decide.
      if (isUniqueViolation(err)) throw problems.conflict('That username or email is already registered.');
      throw err;
    }
  }

  /** The account with this id, whatever its status. */
  async find(userId: string): Promise<User | undefined> {
    const [user] = await this.db.query<User>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [userId]);
    return user;
  }

  /** The active account for `login` (username or email) and `password`, or undefined. */
  async authenticate(login: string, password: string): Promise<{ user?: User; reason?: 'bad_credentials' | 'suspended' }> {
    const needle = login.trim().toLowerCase();
    const [user] = await this.db.query<User>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE (lower(u.username) = $1 OR lower(u.email) = $1) AND u.status <> 'deleted' LIMIT 1`,
      [needle],
    );
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

  private async assertAvailable(username: string, email: string): Promise<void> {
    const [taken] = await this.db.query<{ username: string }>(
      'SELECT username FROM users WHERE lower(username) = lower($1) OR lower(email) = $2 LIMIT 1',
      [username, email],
    );
    if (!taken) return;
    const field = taken.username.toLowerCase() === username.toLowerCase() ? 'username' : 'email';
    throw problems.conflict(`That ${field} is already registered.`);
  }
}
