import { accountRateLimitsMigration, eventsMigrations, type Migration } from '@agora/mesh';
import { media } from './0001-media.js';
import { mediaDetails } from './0002-media-details.js';
import { replayMedia } from './0003-replay-media.js';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations: Migration[] = [media, ...eventsMigrations, mediaDetails, replayMedia, accountRateLimitsMigration];
