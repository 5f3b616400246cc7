import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, session, type Schemas } from '../api/client';
import { unwrap } from '../api/problem';
import { keys } from './keys';

/** Sessions, password, email and account deletion (screen: SecuritySettings). */
export function useSessions() {
  return useQuery({ queryKey: keys.sessions, queryFn: () => unwrap(api.GET('/api/v1/auth/sessions')) });
}

export function useEndSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.sessions }),
  });
}

export function useEndOtherSessions() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/auth/sessions')),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.sessions }),
  });
}

/** Auth signs the other sessions out and keeps this one: the list shows what is left. */
export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['PasswordChangeRequest']) => unwrap(api.POST('/api/v1/auth/password', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.sessions }),
  });
}

/** The new address gets a link to /verify-email; the answer says so in words. */
export function useChangeEmail() {
  return useMutation({ mutationFn: (body: Schemas['EmailChangeRequest']) => unwrap(api.POST('/api/v1/auth/email', { body })) });
}

/**
 * Re-authenticates first (the password or a second-factor code), so the deletion carries a fresh
 * `auth_time` whether or not users demands one, then deletes and ends the session here.
 */
export async function deleteAccount(proof: Schemas['ReauthenticateRequest']): Promise<void> {
  session.accept(await unwrap(api.POST('/api/v1/auth/reauthenticate', { body: proof })));
  await unwrap(api.DELETE('/api/v1/users/me'));
  await session.signOut('account_deleted').catch(() => undefined);
}
