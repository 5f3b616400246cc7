import { api, session, type Schemas } from '../api/client';
import { unwrap } from '../api/problem';

/** Sign-up and sign-in calls (screens: SignUp, SignIn). Tokens go to the session, never to storage. */
export type FirstFactor = { kind: 'signed-in' } | { kind: 'mfa'; mfaToken: string };

function settle(answer: Schemas['TokenResponse'] | Schemas['MfaRequiredResponse']): FirstFactor {
  if ('mfaRequired' in answer) return { kind: 'mfa', mfaToken: answer.mfaToken };
  session.accept(answer);
  return { kind: 'signed-in' };
}

export async function register(body: Schemas['RegisterRequest']): Promise<void> {
  // Register signs the new account in (in cookie mode, like login): a second login would leave an
  // extra session in the account's session list.
  session.accept(await unwrap(api.POST('/api/v1/auth/register', { body })));
}

export async function login(loginName: string, password: string): Promise<FirstFactor> {
  return settle(await unwrap(api.POST('/api/v1/auth/login', { body: { login: loginName, password } })));
}

export async function loginSecondFactor(mfaToken: string, code: string): Promise<void> {
  settle(await unwrap(api.POST('/api/v1/auth/login/mfa', { body: { mfaToken, code } })));
}

export async function requestCode(email: string): Promise<string> {
  return (await unwrap(api.POST('/api/v1/auth/login/code/request', { body: { email } }))).message;
}

export async function loginWithCode(email: string, code: string): Promise<FirstFactor> {
  return settle(await unwrap(api.POST('/api/v1/auth/login/code', { body: { email, code } })));
}
