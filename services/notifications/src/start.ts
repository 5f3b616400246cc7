import { runServiceMain } from '@agora/mesh';
import { loadNotificationsConfig } from './config.js';
import { wireNotifications } from './wiring.js';

/**
 * Starts the notifications service: what main.ts runs, and what its bundle exports (scripts/bundle.mjs), so the
 * bundle's modules can be initialised without starting the service when its code cache is made.
 */
export const start = (): Promise<void> => runServiceMain('notifications', loadNotificationsConfig, wireNotifications);
