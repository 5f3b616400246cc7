import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { unwrap } from '../api/problem';
import { keys } from './keys';

/** Moderation (screen: Admin; the API refuses all of it to non-admins). */
export function useAdminUsers() {
  return useInfiniteQuery({
    queryKey: keys.adminUsers,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Schemas['AdminUserPage']) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/admin/users', { params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
  });
}

export function useSuspend() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, suspended }: { id: string; suspended: boolean }) =>
      unwrap(api.PUT('/api/v1/users/{id}/suspension', { params: { path: { id } }, body: { suspended } })),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.adminUsers }),
  });
}

export function useRemovePost() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/posts/moderation/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.feed }),
  });
}

export function useRemoveComment(postId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (commentId: string) =>
      unwrap(api.DELETE('/api/v1/posts/moderation/{id}/comments/{commentId}', { params: { path: { id: postId, commentId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.comments(postId) }),
  });
}
