import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { unwrap } from '../api/problem';
import { keys } from './keys';

/** The home feed (screen: Feed): keyset pages, the composer and likes that update in place. */
type PostPage = Schemas['PostPage'];
type PostView = Schemas['PostView'];
export const FEED_PAGE_SIZE = 20;

/**
 * Where each of the two streams stands: its cursor (undefined = not started, null = exhausted) and
 * the posts already fetched but not shown yet.
 */
interface Stream {
  cursor: string | null | undefined;
  buffer: PostView[];
}
interface FeedParam {
  feed: Stream;
  own: Stream;
}
export interface FeedPage {
  items: PostView[];
  next: FeedParam | undefined;
}

const newestFirst = (a: PostView, b: PostView) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);

async function fill(stream: Stream, fetchPage: (cursor: string | undefined) => Promise<PostPage>): Promise<Stream> {
  if (stream.buffer.length >= FEED_PAGE_SIZE || stream.cursor === null) return stream;
  const page = await fetchPage(stream.cursor);
  return { cursor: page.nextCursor ?? null, buffer: [...stream.buffer, ...page.items] };
}

/**
 * The home feed: followed posts (GET /feed) merged with my own (GET /posts?authorId=me), because
 * today's feed leaves my own posts out (issue 12 adds them; then this is one GET /feed again).
 * Both are keyset-paginated; each page takes the newest 20 of what the two streams hold, so the
 * merged order is exact.
 */
export function useFeed(meId: string | undefined) {
  return useInfiniteQuery({
    queryKey: keys.feed,
    enabled: Boolean(meId),
    initialPageParam: { feed: { cursor: undefined, buffer: [] }, own: { cursor: undefined, buffer: [] } } as FeedParam,
    getNextPageParam: (last: FeedPage) => last.next,
    queryFn: async ({ pageParam }): Promise<FeedPage> => {
      const query = (cursor: string | undefined) => ({ limit: FEED_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
      const [feed, own] = await Promise.all([
        fill(pageParam.feed, (cursor) => unwrap(api.GET('/api/v1/feed', { params: { query: query(cursor) } }))),
        fill(pageParam.own, (cursor) => unwrap(api.GET('/api/v1/posts', { params: { query: { authorId: meId!, ...query(cursor) } } }))),
      ]);
      const merged = [...feed.buffer, ...own.buffer].sort(newestFirst);
      const items = merged.slice(0, FEED_PAGE_SIZE);
      const shown = new Set(items.map((p) => p.id));
      const next: FeedParam = {
        feed: { cursor: feed.cursor, buffer: feed.buffer.filter((p) => !shown.has(p.id)) },
        own: { cursor: own.cursor, buffer: own.buffer.filter((p) => !shown.has(p.id)) },
      };
      const more = next.feed.buffer.length + next.own.buffer.length > 0 || next.feed.cursor !== null || next.own.cursor !== null;
      return { items, next: more ? next : undefined };
    },
  });
}

export function useCreatePost() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['CreatePostRequest']) => unwrap(api.POST('/api/v1/posts', { body })),
    onSuccess: (post) => {
      void client.invalidateQueries({ queryKey: keys.feed });
      void client.invalidateQueries({ queryKey: keys.authorPosts(post.authorId) });
    },
  });
}

/** Writes a post's new state into every cached list and the post itself. */
export function patchPost(client: QueryClient, postId: string, patch: Partial<PostView>): void {
  const apply = (p: PostView) => (p.id === postId ? { ...p, ...patch } : p);
  for (const [key, data] of client.getQueriesData<InfiniteData<{ items: PostView[] }>>({
    predicate: (q) => q.queryKey[0] === 'feed' || q.queryKey[0] === 'author-posts',
  })) {
    if (data?.pages) client.setQueryData(key, { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.map(apply) })) });
  }
  client.setQueryData<PostView>(keys.post(postId), (p) => (p ? apply(p) : p));
}

export function useLike() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ postId, like }: { postId: string; like: boolean }) =>
      unwrap(
        like
          ? api.POST('/api/v1/posts/{id}/like', { params: { path: { id: postId } } })
          : api.DELETE('/api/v1/posts/{id}/like', { params: { path: { id: postId } } }),
      ),
    onSuccess: (state) => {
      patchPost(client, state.postId, { likedByMe: state.likedByMe, likeCount: state.likeCount });
      void client.invalidateQueries({ queryKey: keys.likers(state.postId) });
    },
  });
}
