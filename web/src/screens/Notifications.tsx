import { useCallback } from 'react';
import { Link } from 'react-router';
import type { Schemas } from '../api/client';
import { Avatar } from '../components/Avatar';
import { LoadMore } from '../components/LoadMore';
import { Empty, ErrorNote, FailureText, Loading } from '../components/Status';
import { useMarkAllRead, useNotifications } from '../data/notifications';
import { useTitle } from './useTitle';

type Entry = Schemas['Notification'];

function who(n: Entry): string {
  const name = n.actor.displayName || n.actor.username || 'A new member';
  const others = n.actorCount - 1;
  return others > 0 ? `${name} and ${others} ${others === 1 ? 'other' : 'others'}` : name;
}

function what(n: Entry): string {
  switch (n.kind) {
    case 'follow':
      return 'followed you';
    case 'like':
      return 'liked your post';
    case 'comment':
      return 'commented on your post';
    case 'mention':
      return 'mentioned you';
  }
}

function Item({ n }: { n: Entry }) {
  const target = n.postId ? `/posts/${n.postId}` : n.actor.username ? `/@${n.actor.username}` : undefined;
  const text = `${who(n)} ${what(n)}`;
  return (
    <li className={n.read ? 'notification' : 'notification unread'}>
      <Avatar src={n.actor.avatarUrl} name={n.actor.displayName || n.actor.username || '?'} size={32} />
      {target ? <Link to={target}>{text}</Link> : <span>{text}</span>}{' '}
      <time className="muted" dateTime={n.updatedAt}>
        {new Date(n.updatedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
      </time>
      {!n.read && <span className="visually-hidden"> (unread)</span>}
    </li>
  );
}

/** Your notifications, newest first, grouped by the API; new ones arrive live (the stream in Layout). */
export function Notifications() {
  useTitle('Notifications');
  const list = useNotifications();
  const markAll = useMarkAllRead();
  const more = useCallback(() => void list.fetchNextPage(), [list]);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <main id="main">
      <h1>Notifications</h1>
      <button type="button" onClick={() => markAll.mutate()} disabled={markAll.isPending || !items.some((n) => !n.read)}>
        Mark all read
      </button>
      <FailureText error={markAll.error} />
      {list.isPending && <Loading what="notifications" />}
      {list.isError && <ErrorNote error={list.error} retry={() => void list.refetch()} />}
      {list.isSuccess && items.length === 0 && <Empty>Nothing yet: follows, likes, comments and @mentions show up here.</Empty>}
      <ul className="notifications" aria-label="Notifications">
        {items.map((n) => (
          <Item key={n.id} n={n} />
        ))}
      </ul>
      <LoadMore hasMore={Boolean(list.hasNextPage)} loading={list.isFetchingNextPage} onMore={more} what="notifications" />
    </main>
  );
}
