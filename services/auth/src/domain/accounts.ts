import { Op, UniqueConstraintError, where, fn, col, type Transaction } from 'sequelize';
import { problems } from '@agora/mesh';
import { User } from '../models/index.js';
import { hashPassword, verifyPassword } from './passwords.js';

export interface NewAccount {
  username: string;
  email: string;
  password: string;
}

/** Accounts: creation with case-insensitive uniqueness, and credential checks. */
export class Accounts {
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
      return await User.create({ username, email, passwordHash });
    } catch (err) {
      // Two registrations raced past assertAvailable; the unique indexes decide.
      if (err instanceof UniqueConstraintError) throw problems.conflict('That username or email is already registered.');
      throw err;
    }
  }

  /** The active account for `login` (username or email) and `password`, or undefined. */
  async authenticate(login: string, password: string): Promise<{ user?: User; reason?: 'bad_credentials' | 'suspended' }> {
    const needle = login.trim().toLowerCase();
    const user = await User.findOne({
      where: {
        [Op.or]: [where(fn('lower', col('username')), needle), where(fn('lower', col('email')), needle)],
        status: { [Op.ne]: 'deleted' },
      },
    });
    const ok = await verifyPassword(user?.passwordHash, password);
    if (!user || !ok) return { reason: 'bad_credentials' };
    if (user.status !== 'active') return { reason: 'suspended' };
    return { user };
  }

  /**
   * Marks an account deleted in one transaction with `alsoDo` (revoking its sessions). Returns what
   * `alsoDo` returned, or undefined when there is no such account.
   */
  async markDeleted<T>(userId: string, alsoDo: (transaction: Transaction) => Promise<T>): Promise<T | undefined> {
    const sequelize = User.sequelize!;
    return sequelize.transaction(async (transaction) => {
      const user = await User.findByPk(userId, { transaction, lock: transaction.LOCK.UPDATE });
      if (!user) return undefined;
      if (user.status !== 'deleted') {
        await user.update({ status: 'deleted', email: `deleted+${user.id}@invalid`, passwordHash: '!' }, { transaction });
      }
      return alsoDo(transaction);
    });
  }

  /** Sets an undeleted account's status with `alsoDo` in one transaction; undefined when there is no such account. */
  async setStatus<T>(userId: string, status: 'active' | 'suspended', alsoDo: (transaction: Transaction) => Promise<T>): Promise<T | undefined> {
    return User.sequelize!.transaction(async (transaction) => {
      const user = await User.findByPk(userId, { transaction, lock: transaction.LOCK.UPDATE });
      if (!user || user.status === 'deleted') return undefined;
      await user.update({ status }, { transaction });
      return alsoDo(transaction);
    });
  }

  private async assertAvailable(username: string, email: string): Promise<void> {
    const taken = await User.findOne({
      where: { [Op.or]: [where(fn('lower', col('username')), username.toLowerCase()), where(fn('lower', col('email')), email)] },
    });
    if (!taken) return;
    const field = taken.username.toLowerCase() === username.toLowerCase() ? 'username' : 'email';
    throw problems.conflict(`That ${field} is already registered.`);
  }
}
