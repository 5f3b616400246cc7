import { accountRateLimitsMigration, eventsMigrations, type Migration } from '@agora/mesh';
import { profilesFollows } from './0001-profiles-follows.js';
import { suspension } from './0002-suspension.js';
import { accountEvents } from './0003-account-events.js';
import { userSearch } from './0004-user-search.js';
import { replayProfiles } from './0005-replay-profiles.js';
import { blocksMutes } from './0006-blocks-mutes.js';
import { auditEvents } from './0007-audit-events.js';
import { reports } from './0008-reports.js';
import { reportContentRemoval } from './0009-report-content-removal.js';
import { searchIndexNoPendingList } from './0010-search-index-no-pending-list.js';
import { nameWords } from './0011-name-words.js';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations: Migration[] = [
  profilesFollows,
  suspension,
  ...eventsMigrations,
  accountEvents,
  userSearch,
  replayProfiles,
  accountRateLimitsMigration,
  blocksMutes,
  auditEvents,
  reports,
  reportContentRemoval,
  searchIndexNoPendingList,
  nameWords,
];
