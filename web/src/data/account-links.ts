import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';

/** The pages of the mailed links (screens: ResetPassword, VerifyEmail); no session needed. */
export const requestPasswordReset = async (email: string) =>
  (await unwrap(api.POST('/api/v1/auth/password/reset/request', { body: { email } }))).message;

export const resetPassword = (token: string, newPassword: string) =>
  unwrap(api.POST('/api/v1/auth/password/reset', { body: { token, newPassword } }));

export const verifyEmail = (token: string) => unwrap(api.POST('/api/v1/auth/email/verify', { body: { token } }));

/**
 * The token of a mailed link: auth puts it in the fragment (`#token=…`, never sent to a server).
 * Read from the router's location (a link opened on the same page changes only the fragment), kept
 * in state, and dropped from the address bar so history or a copied address does not carry it.
 */
export function useMailToken(): string | undefined {
  const location = useLocation();
  const navigate = useNavigate();
  const [token, setToken] = useState<string | undefined>(() => tokenOf(location.hash));
  useEffect(() => {
    const fresh = tokenOf(location.hash);
    if (!fresh) return;
    setToken(fresh);
    navigate({ pathname: location.pathname, search: location.search, hash: '' }, { replace: true });
  }, [location.hash, location.pathname, location.search, navigate]);
  return token;
}

const tokenOf = (hash: string) => new URLSearchParams(hash.slice(1)).get('token') ?? undefined;
