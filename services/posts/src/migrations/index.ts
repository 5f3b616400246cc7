import { accountRateLimitsMigration, eventsMigrations, type Migration } from '@agora/mesh';
import { postsLikesComments } from './0001-posts-likes-comments.js';
import { accountEvents } from './0002-account-events.js';
import { embeddingSearchCommentEdits } from './0003-embedding-search-comment-edits.js';
import { postEvents } from './0004-post-events.js';
import { relationships } from './0005-relationships.js';
import { auditEvents } from './0006-audit-events.js';
import { searchIndexNoPendingList } from './0007-search-index-no-pending-list.js';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations: Migration[] = [
  postsLikesComments,
  ...eventsMigrations,
  accountEvents,
  embeddingSearchCommentEdits,
  postEvents,
  accountRateLimitsMigration,
  relationships,
  auditEvents,
  searchIndexNoPendingList,
];
