import { eventsMigrations, type Migration } from '@agora/mesh';
import { accountsSessionsKeys } from './0001-accounts-sessions-keys.js';
import { secondFactorCodesLimits } from './0002-second-factor-codes-limits.js';
import { secondFactorAttempts } from './0003-second-factor-attempts.js';
import { accountEvents } from './0004-account-events.js';
import { replayAccounts } from './0005-replay-accounts.js';
import { accountLifecycle } from './0006-account-lifecycle.js';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations: Migration[] = [
  accountsSessionsKeys,
  secondFactorCodesLimits,
  secondFactorAttempts,
  ...eventsMigrations,
  accountEvents,
  replayAccounts,
  accountLifecycle,
];
