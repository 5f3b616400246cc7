import { useCallback, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Schemas } from '../api/client';
import { Avatar } from '../components/Avatar';
import { LoadMore } from '../components/LoadMore';
import { PostCard } from '../components/PostCard';
import { Empty, ErrorNote, Loading } from '../components/Status';
import { usePeopleSearch, usePostSearch, useSuggestedPeople } from '../data/search';
import { useTitle } from './useTitle';

function PersonList({ people, label }: { people: Schemas['PublicUser'][]; label: string }) {
  return (
    <ul className="people" aria-label={label}>
      {people.map((p) => (
        <li key={p.id}>
          <Avatar src={p.avatarUrl} name={p.displayName || p.username} size={32} />
          <Link to={`/@${p.username}`}>
            {p.displayName || p.username} <span className="muted">@{p.username}</span>
          </Link>{' '}
          <span className="muted">
            {p.followerCount} {p.followerCount === 1 ? 'follower' : 'followers'}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Suggestions() {
  const suggested = useSuggestedPeople();
  return (
    <section aria-labelledby="suggested-heading">
      <h2 id="suggested-heading">People to follow</h2>
      {suggested.isPending && <Loading what="suggestions" />}
      {suggested.isError && <ErrorNote error={suggested.error} retry={() => void suggested.refetch()} />}
      {suggested.isSuccess && suggested.data.items.length === 0 && <Empty>No suggestions right now.</Empty>}
      {suggested.isSuccess && <PersonList people={suggested.data.items} label="People to follow" />}
    </section>
  );
}

function Results({ q, kind }: { q: string; kind: 'people' | 'posts' }) {
  const people = usePeopleSearch(kind === 'people' ? q : '');
  const posts = usePostSearch(kind === 'posts' ? q : '');
  const list = kind === 'people' ? people : posts;
  const more = useCallback(() => void list.fetchNextPage(), [list]);
  if (list.isPending) return <Loading what="results" />;
  if (list.isError) return <ErrorNote error={list.error} retry={() => void list.refetch()} />;
  const none = list.data.pages.every((p) => p.items.length === 0);
  if (none) return <Empty>{kind === 'people' ? `Nobody matches “${q}”.` : `No post mentions “${q}”.`}</Empty>;
  return (
    <>
      {kind === 'people' ? (
        <PersonList people={people.data?.pages.flatMap((p) => p.items) ?? []} label="People found" />
      ) : (
        <div className="posts">
          {(posts.data?.pages.flatMap((p) => p.items) ?? []).map((post) => (
            <PostCard key={post.id} post={post} headingLevel={3} />
          ))}
        </div>
      )}
      <LoadMore hasMore={Boolean(list.hasNextPage)} loading={list.isFetchingNextPage} onMore={more} what={kind === 'people' ? 'people' : 'posts'} />
    </>
  );
}

/** Find people (by name, prefix or near spelling) and posts (by word); suggestions when idle. */
export function Search() {
  useTitle('Search');
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const kind = params.get('in') === 'posts' ? 'posts' : 'people';
  const [draft, setDraft] = useState(q);
  return (
    <main id="main">
      <h1>Search</h1>
      <form
        role="search"
        className="search-form"
        onSubmit={(e) => {
          e.preventDefault();
          const next = draft.trim().slice(0, 100);
          setParams(next ? { q: next, in: kind } : {});
        }}
      >
        <label htmlFor="search-q">Name, @username or a word</label>
        <input id="search-q" type="search" maxLength={100} value={draft} onChange={(e) => setDraft(e.target.value)} />
        <fieldset className="search-kind">
          <legend className="visually-hidden">Search in</legend>
          {(['people', 'posts'] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="in" checked={kind === k} onChange={() => setParams(q ? { q, in: k } : { in: k })} />{' '}
              {k === 'people' ? 'People' : 'Posts'}
            </label>
          ))}
        </fieldset>
        <button type="submit">Search</button>
      </form>
      {q ? <Results q={q} kind={kind} /> : <Suggestions />}
    </main>
  );
}
