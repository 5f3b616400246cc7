import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { keys } from './keys';

/** People and post search and suggestions (screen: Search). Both searches are keyset pages of 20. */
const PAGE = 20;

export function usePeopleSearch(q: string) {
  return useInfiniteQuery({
    queryKey: keys.searchPeople(q),
    enabled: q.length > 0,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: { nextCursor?: string | null }) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/search/users', { params: { query: { q, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
  });
}

export function usePostSearch(q: string) {
  return useInfiniteQuery({
    queryKey: keys.searchPosts(q),
    enabled: q.length > 0,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: { nextCursor?: string | null }) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/search/posts', { params: { query: { q, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
  });
}

/** Accounts a newcomer might follow (most followed, not yet followed). */
export function useSuggestedPeople() {
  return useQuery({ queryKey: keys.suggested, queryFn: () => unwrap(api.GET('/api/v1/users/suggested', { params: { query: { limit: 10 } } })) });
}
