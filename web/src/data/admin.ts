import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { unwrap } from '../api/problem';
import { keys } from './keys';

/** One page of every user, as admins see them: the one call to the admin user list. */
const adminUsersPage = (cursor: string | undefined) =>
  unwrap(api.GET('/api/v1/admin/users', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } }));

/** Moderation (screen: Admin; the API refuses all of it to non-admins). */
export function useAdminUsers() {
  return useInfiniteQuery({
    queryKey: keys.adminUsers,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Schemas['AdminUserPage']) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam }) => adminUsersPage(pageParam),
  });
}

/** A user by id (a report names its target by id only). */
export function useUserById(id: string | undefined) {
  return useQuery({
    queryKey: keys.userId(id ?? ''),
    enabled: Boolean(id),
    queryFn: () => unwrap(api.GET('/api/v1/users/{id}', { params: { path: { id: id! } } })),
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
