import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { keys } from './keys';

/**
 * Profiles and media URLs by id. The API today gives posts and comments only `authorId` and
 * `mediaIds`, so a screen looks each author and image up here (cached, one request per distinct id);
 * when posts embed `author` and `media` (issue 12) these lookups go away.
 */
export function useUser(id: string | undefined) {
  return useQuery({
    queryKey: keys.user(id ?? ''),
    enabled: Boolean(id),
    staleTime: 60_000,
    queryFn: () => unwrap(api.GET('/api/v1/users/{id}', { params: { path: { id: id! } } })),
  });
}

export function useUserByName(username: string) {
  return useQuery({
    queryKey: keys.username(username),
    queryFn: () => unwrap(api.GET('/api/v1/users/by-username/{username}', { params: { path: { username } } })),
  });
}

export function useMe(enabled = true) {
  return useQuery({
    queryKey: keys.me,
    enabled,
    queryFn: () => unwrap(api.GET('/api/v1/users/me')),
  });
}

/** Signed download URLs expire (5 min); refetch before that. */
export function useMediaUrl(id: string | null | undefined) {
  return useQuery({
    queryKey: keys.media(id ?? ''),
    enabled: Boolean(id),
    staleTime: 4 * 60_000,
    refetchInterval: 4 * 60_000,
    queryFn: () => unwrap(api.GET('/api/v1/media/{id}', { params: { path: { id: id! } } })),
  });
}
