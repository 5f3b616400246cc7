import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { unwrap } from '../api/problem';
import { keys } from './keys';

/** The home feed (screen: Feed): keyset pages, the composer and likes that update in place. */
type PostPage = Schemas['PostPage'];
type PostView = Schemas['PostView'];
export const FEED_PAGE_SIZE = 20;

/**
 * The home feed: my own posts and those of the people I follow, newest first, each with its author
 * and images embedded — one GET /api/v1/feed per page of 20 (keyset cursors).
 */
export function useFeed(meId: string | undefined) {
  return useInfiniteQuery({
    queryKey: keys.feed,
    enabled: Boolean(meId),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: PostPage) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam }): Promise<PostPage> =>
      unwrap(api.GET('/api/v1/feed', { params: { query: { limit: FEED_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
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
