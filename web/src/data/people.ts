import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { keys } from './keys';

/** Profiles (posts, comments and likers embed their authors, so lists need no lookups here). */
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
