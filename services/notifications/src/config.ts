import * as z from 'zod';
import { baseConfigSchema, loadConfig } from '@agora/mesh';

export const notificationsConfigSchema = baseConfigSchema.extend({
  /**
   * Comment line sent on an idle stream. Below every proxy's idle timeout on the way (the local
   * ingress drops a silent upstream after 120 s, Envoy's stream idle timeout is 5 min), so an open
   * stream is never cut for silence.
   */
  NOTIFICATIONS_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
  /**
   * The longest one stream stays open (it also ends when the token that opened it expires): the
   * browser's EventSource reconnects, which moves streams off a replica that is draining and re-checks
   * the caller's credentials.
   */
  NOTIFICATIONS_STREAM_MAX_SECONDS: z.coerce.number().int().min(5).max(86_400).default(3_600),
  /** Life of a stream ticket (`POST /api/v1/notifications/stream-tickets`): long enough to open the stream, no longer. */
  NOTIFICATIONS_TICKET_TTL_SECONDS: z.coerce.number().int().min(5).max(300).default(60),
  /** Open streams one user may hold on one replica (tabs, devices); the oldest is closed past it. */
  NOTIFICATIONS_STREAMS_PER_USER: z.coerce.number().int().min(1).max(50).default(10),
});

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;

export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  return loadConfig(notificationsConfigSchema, env);
}
