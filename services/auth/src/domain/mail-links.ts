import type { AccountTokenPurpose } from './account-tokens.js';

const PAGE: Record<AccountTokenPurpose, string> = {
  password_reset: 'reset-password',
  email_verification: 'verify-email',
  email_change: 'verify-email',
};

/**
 * The web app's link for a mailed token. The token travels in the fragment, which browsers never
 * send to a server, so it lands in no access log or Referer; the page posts it to the API.
 */
export function mailLink(appUrl: string, purpose: AccountTokenPurpose, token: string): string {
  return `${appUrl.replace(/\/+$/, '')}/${PAGE[purpose]}#token=${token}`;
}
