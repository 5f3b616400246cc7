import { eventsMigrations, type Migration } from '@agora/mesh';
import { notificationsSchema } from './0001-notifications.js';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations: Migration[] = [...eventsMigrations, notificationsSchema];
