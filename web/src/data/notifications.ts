import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { keys } from './keys';

/** Notifications (screen: Notifications; the unread badge in the layout). */
export function useNotifications() {
  return useInfiniteQuery({
    queryKey: keys.notifications,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: { nextCursor?: string | null }) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/notifications', { params: { query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } } })),
  });
}

/** The unread count: the stream's `ready` event brings it, so the page load asks only when no stream runs. */
export function useUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: keys.unread,
    enabled: enabled && typeof EventSource === 'undefined',
    queryFn: () => unwrap(api.GET('/api/v1/notifications/unread-count')),
  });
}

export function useMarkAllRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/notifications/read-all')),
    onSuccess: () => {
      client.setQueryData(keys.unread, { unread: 0 });
      void client.invalidateQueries({ queryKey: keys.notifications });
    },
  });
}

/**
 * Keeps the badge and the list live: a single-use ticket (an EventSource cannot send the bearer
 * token), then the Server-Sent Events stream; when the stream ends (token expiry, a replica
 * draining) or fails, a new ticket after a pause that grows to a minute.
 */
export function useNotificationStream(enabled: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let pause = 1_000;
    const unread = (e: MessageEvent<string>) => {
      const data = JSON.parse(e.data) as { unread: number };
      client.setQueryData(keys.unread, { unread: data.unread });
    };
    const reopen = () => {
      source?.close();
      if (stopped) return;
      timer = setTimeout(open, pause);
      pause = Math.min(pause * 2, 60_000);
    };
    async function open() {
      try {
        const { ticket } = await unwrap(api.POST('/api/v1/notifications/stream-tickets'));
        if (stopped) return;
        source = new EventSource(`/api/v1/notifications/stream?ticket=${encodeURIComponent(ticket)}`);
        source.addEventListener('ready', (e) => {
          pause = 1_000;
          unread(e);
          // What was recorded while no stream was open (before this one, or while it reconnected)
          // was never sent: a list fetched meanwhile would miss it for good. Only a shown list refetches.
          void client.invalidateQueries({ queryKey: keys.notifications });
        });
        source.addEventListener('unread', unread);
        const changed = (e: MessageEvent<string>) => {
          unread(e);
          void client.invalidateQueries({ queryKey: keys.notifications });
        };
        source.addEventListener('notification', changed);
        // An entry lost an actor (`update`) or its post, comment or like is gone (`remove`): the
        // refetched list shows the group smaller, or no longer shows what would link to a 404.
        source.addEventListener('update', changed);
        source.addEventListener('remove', changed);
        source.addEventListener('end', reopen);
        source.onerror = reopen;
      } catch {
        reopen();
      }
    }
    void open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [enabled, client]);
}
