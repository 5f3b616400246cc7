import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { unwrap } from '../api/problem';
import { keys } from './keys';

/** Profile, avatar and two-factor settings (screen: Settings). */
export function useUpdateProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['UpdateProfileRequest']) => unwrap(api.PATCH('/api/v1/users/me', { body })),
    onSuccess: (profile) => {
      client.setQueryData(keys.me, profile);
      void client.invalidateQueries({ queryKey: keys.username(profile.username) });
      // Lists embed the author's name and avatar: show the new ones.
      void client.invalidateQueries({ queryKey: keys.feed });
      void client.invalidateQueries({ queryKey: keys.authorPosts(profile.id) });
    },
  });
}

export function useTwoFactorStatus() {
  return useQuery({ queryKey: keys.twoFactor, queryFn: () => unwrap(api.GET('/api/v1/auth/2fa/status')) });
}

/** Setup needs the password again: an access token alone must not enrol an authenticator. */
export const startTwoFactorSetup = (password: string) => unwrap(api.POST('/api/v1/auth/2fa/setup', { body: { password } }));

export function useConfirmTwoFactor() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => unwrap(api.POST('/api/v1/auth/2fa/verify-setup', { body: { code } })),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.twoFactor }),
  });
}

export function useDisableTwoFactor() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { code: string; password: string }) => unwrap(api.POST('/api/v1/auth/2fa/disable', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.twoFactor }),
  });
}
