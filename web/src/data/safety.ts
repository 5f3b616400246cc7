import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { unwrap } from '../api/problem';
import { keys } from './keys';

/** Block, mute and report (screens: Profile, PostPage, feed cards) and the admin's report queue. */
export type Relationship = Schemas['Relationship'];

/** The contract's reasons, in words; `satisfies` fails the build when the contract adds or drops one. */
export const REPORT_REASONS = {
  spam: 'Spam',
  harassment: 'Harassment or bullying',
  hate: 'Hate',
  violence: 'Violence or threats',
  sexual_content: 'Sexual content',
  self_harm: 'Self-harm',
  misinformation: 'Misinformation',
  other: 'Something else',
} satisfies Record<Schemas['ReportReason'], string>;

/** Block or mute on (`on`) or off; the profile shows the relationship the API answers. */
export function useRelationship(userId: string, username: string, which: 'block' | 'mute') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (on: boolean) => {
      const params = { params: { path: { id: userId } } };
      const path = which === 'block' ? '/api/v1/users/{id}/block' : '/api/v1/users/{id}/mute';
      return unwrap(on ? api.PUT(path, params) : api.DELETE(path, params));
    },
    onSuccess: async (state) => {
      client.setQueryData(keys.username(username), (p: Schemas['UserProfile'] | undefined) => (p ? { ...p, ...state } : p));
      // A block ends follows both ways (counts change) and a mute hides the user's posts in the feed.
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.username(username) }),
        client.invalidateQueries({ queryKey: keys.feed }),
        client.invalidateQueries({ queryKey: keys.related(which) }),
      ]);
    },
  });
}

/** The first 100 people I block or mute (screen: SecuritySettings), most recent first as the API lists them. */
export function useRelated(which: 'block' | 'mute') {
  return useQuery({
    queryKey: keys.related(which),
    queryFn: () =>
      unwrap(
        which === 'block'
          ? api.GET('/api/v1/users/me/blocks', { params: { query: { limit: 100 } } })
          : api.GET('/api/v1/users/me/mutes', { params: { query: { limit: 100 } } }),
      ),
  });
}

export function useReport() {
  return useMutation({ mutationFn: (body: Schemas['NewReport']) => unwrap(api.POST('/api/v1/reports', { body })) });
}

export function useReports() {
  return useInfiniteQuery({
    queryKey: keys.adminReports,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Schemas['ReportPage']) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/admin/reports', { params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
  });
}

export function useResolveReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: Schemas['ReportResolution']['action'] }) =>
      unwrap(api.POST('/api/v1/admin/reports/{id}/resolve', { params: { path: { id } }, body: { action } })),
    onSuccess: () =>
      Promise.all([client.invalidateQueries({ queryKey: keys.adminReports }), client.invalidateQueries({ queryKey: keys.adminUsers })]),
  });
}
