import { eventsMigrations, type Migration } from '@agora/mesh';
import { notificationsSchema } from './0001-notifications.js';
import { relationships } from './0002-relationships.js';
import { ticketSessions } from './0003-ticket-sessions.js';
import { removedContent } from './0004-removed-content.js';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations: Migration[] = [...eventsMigrations, notificationsSchema, relationships, ticketSessions, removedContent];
