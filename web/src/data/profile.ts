import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { unwrap } from '../api/problem';
import { keys } from './keys';

/** A profile's posts, follow state and lists (screen: Profile). */
export function useAuthorPosts(authorId: string | undefined) {
  return useInfiniteQuery({
    queryKey: keys.authorPosts(authorId ?? ''),
    enabled: Boolean(authorId),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Schemas['PostPage']) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/posts', { params: { query: { authorId: authorId!, limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } } })),
  });
}

export function useFollows(userId: string | undefined, which: 'followers' | 'following') {
  return useQuery({
    queryKey: keys.follows(userId ?? '', which),
    enabled: Boolean(userId),
    queryFn: () =>
      unwrap(
        which === 'followers'
          ? api.GET('/api/v1/users/{id}/followers', { params: { path: { id: userId! }, query: { limit: 100 } } })
          : api.GET('/api/v1/users/{id}/following', { params: { path: { id: userId! }, query: { limit: 100 } } }),
      ),
  });
}

/**
 * Whether I follow `userId`. Profiles do not say so yet (issue 12 adds `following`), so this reads
 * the first 100 of the other person's followers: exact for anyone with at most 100 followers.
 */
export function useFollow(userId: string, username: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (follow: boolean) =>
      unwrap(
        follow
          ? api.POST('/api/v1/users/{id}/follow', { params: { path: { id: userId } } })
          : api.DELETE('/api/v1/users/{id}/follow', { params: { path: { id: userId } } }),
      ),
    // The answer is the relationship and the counts after it: the profile shows them at once.
    onSuccess: async (state) => {
      client.setQueryData(keys.username(username), (p: Schemas['UserProfile'] | undefined) => (p ? { ...p, ...state } : p));
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.follows(userId, 'followers') }),
        client.invalidateQueries({ queryKey: keys.feed }),
        client.invalidateQueries({ queryKey: keys.me }),
      ]);
    },
  });
}
