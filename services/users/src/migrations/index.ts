import type { Migration } from '@agora/mesh';
import { profilesFollows } from './0001-profiles-follows.js';
import { suspension } from './0002-suspension.js';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations: Migration[] = [profilesFollows, suspension];
