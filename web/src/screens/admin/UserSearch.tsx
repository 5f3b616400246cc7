import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { Empty, ErrorNote, Loading } from '../../components/Status';
import { useSuspend } from '../../data/admin';
import { usePeopleSearch } from '../../data/search';

/** One result: Suspend, then (from the answer's state) Unsuspend. */
function Found({ person }: { person: Schemas['PublicUser'] }) {
  const suspend = useSuspend();
  const suspended = suspend.data?.suspended ?? false;
  return (
    <li>
      <span>
        {person.displayName || person.username} <span className="muted">@{person.username}</span>
        {suspended && <strong> · Suspended</strong>}
      </span>
      <button
        type="button"
        className={suspended ? 'secondary' : 'danger'}
        disabled={suspend.isPending}
        onClick={() => suspend.mutate({ id: person.id, suspended: !suspended })}
      >
        {suspended ? 'Unsuspend' : 'Suspend'}
        <span className="visually-hidden"> @{person.username} (search result)</span>
      </button>
      {suspend.isError && <ErrorNote error={suspend.error} />}
    </li>
  );
}

/**
 * Finds active users by name through people search, to suspend them. People search leaves suspended
 * accounts out, so reinstating one is done from the full list below (its Status column).
 */
export function UserSearch() {
  const [q, setQ] = useState('');
  const found = usePeopleSearch(q);
  const items = found.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="find-user">
      <h2 id="find-user">Find a user</h2>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(String(new FormData(e.currentTarget).get('admin-q') ?? '').trim());
        }}
      >
        <label htmlFor="admin-q">Name or @username (active users; suspended ones are in the list below)</label>
        <input id="admin-q" name="admin-q" maxLength={50} required />
        <button type="submit">Find</button>
      </form>
      {q && found.isPending && <Loading what="users" />}
      {found.isError && <ErrorNote error={found.error} retry={() => void found.refetch()} />}
      {found.isSuccess && items.length === 0 && <Empty>No active user matches.</Empty>}
      {items.length > 0 && (
        <ul className="people" aria-label="Users found">
          {items.map((p) => (
            <Found key={p.id} person={p} />
          ))}
        </ul>
      )}
      {found.hasNextPage && (
        <button type="button" onClick={() => void found.fetchNextPage()}>
          More results
        </button>
      )}
    </section>
  );
}
