import { useCallback } from 'react';
import { Link } from 'react-router';
import { Composer } from '../components/Composer';
import { LoadMore } from '../components/LoadMore';
import { PostCard } from '../components/PostCard';
import { Empty, ErrorNote, Loading } from '../components/Status';
import { session } from '../api/client';
import { useFeed } from '../data/feed';
import { useTitle } from './useTitle';

export function Feed() {
  useTitle('Home');
  const feed = useFeed(session.claims?.sub);
  const more = useCallback(() => void feed.fetchNextPage(), [feed]);
  const posts = feed.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <main id="main">
      <h1>Home</h1>
      <Composer />
      <section aria-label="Feed" aria-busy={feed.isPending}>
        {feed.isPending && <Loading what="your feed" />}
        {feed.isError && <ErrorNote error={feed.error} retry={() => void feed.refetch()} />}
        {feed.isSuccess && posts.length === 0 && (
          <Empty>
            Your feed is empty. Your posts and those of the people you follow appear here — open someone’s profile (for example{' '}
            <Link to="/@ada">@ada</Link>) and follow them.
          </Empty>
        )}
        {posts.map((post) => (
          <PostCard key={post.id} post={post} />
        ))}
        {feed.isSuccess && posts.length > 0 && <LoadMore what="posts" hasMore={feed.hasNextPage} loading={feed.isFetchingNextPage} onMore={more} />}
        {feed.isFetchNextPageError && <ErrorNote error={feed.error} retry={more} />}
      </section>
    </main>
  );
}
