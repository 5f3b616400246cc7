import { api } from '../api/client';
import { unwrap } from '../api/problem';

/** The pages of the mailed links (screens: ResetPassword, VerifyEmail); no session needed. */
export const requestPasswordReset = async (email: string) =>
  (await unwrap(api.POST('/api/v1/auth/password/reset/request', { body: { email } }))).message;

export const resetPassword = (token: string, newPassword: string) =>
  unwrap(api.POST('/api/v1/auth/password/reset', { body: { token, newPassword } }));

export const verifyEmail = (token: string) => unwrap(api.POST('/api/v1/auth/email/verify', { body: { token } }));

/** The token of a mailed link: auth puts it in the fragment (`#token=…`, never sent to a server). */
export const readMailToken = (): string | undefined => new URLSearchParams(window.location.hash.slice(1)).get('token') ?? undefined;

/** Once read, the token leaves the address bar, so history or a copied address does not carry it. */
export function dropMailToken(): void {
  if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}
