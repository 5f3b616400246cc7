import { runServiceMain } from '@agora/mesh';
import { loadNotificationsConfig } from './config.js';
import { wireNotifications } from './wiring.js';

/** The notifications service process: `node services/notifications/dist/main.js`. */
await runServiceMain('notifications', loadNotificationsConfig, wireNotifications);
