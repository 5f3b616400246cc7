import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { unwrap } from '../api/problem';
import { patchPost } from './feed';
import { keys } from './keys';

/** One post with its likers and comments (screen: PostPage). */
export function usePost(id: string) {
  return useQuery({ queryKey: keys.post(id), queryFn: () => unwrap(api.GET('/api/v1/posts/{id}', { params: { path: { id } } })) });
}

export function useComments(id: string) {
  return useInfiniteQuery({
    queryKey: keys.comments(id),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Schemas['CommentPage']) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/posts/{id}/comments', { params: { path: { id }, query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
  });
}

export function useLikers(id: string) {
  return useQuery({
    queryKey: keys.likers(id),
    queryFn: () => unwrap(api.GET('/api/v1/posts/{id}/likes', { params: { path: { id }, query: { limit: 20 } } })),
  });
}

function useCommentCount() {
  const client = useQueryClient();
  return (postId: string, delta: number) => {
    const post = client.getQueryData<Schemas['PostView']>(keys.post(postId));
    if (post) patchPost(client, postId, { commentCount: Math.max(0, post.commentCount + delta) });
    void client.invalidateQueries({ queryKey: keys.comments(postId) });
  };
}

export function useAddComment(postId: string) {
  const bump = useCommentCount();
  return useMutation({
    mutationFn: (text: string) => unwrap(api.POST('/api/v1/posts/{id}/comments', { params: { path: { id: postId } }, body: { text } })),
    onSuccess: () => bump(postId, +1),
  });
}

export function useDeleteComment(postId: string) {
  const bump = useCommentCount();
  return useMutation({
    mutationFn: (commentId: string) => unwrap(api.DELETE('/api/v1/posts/{id}/comments/{commentId}', { params: { path: { id: postId, commentId } } })),
    onSuccess: () => bump(postId, -1),
  });
}

export function useDeletePost() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/posts/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.feed }),
  });
}
