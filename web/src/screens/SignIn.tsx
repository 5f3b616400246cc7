import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError, messageOf } from '../api/problem';
import { FailureText } from '../components/Status';
import { login, loginSecondFactor, loginWithCode, requestCode, type FirstFactor } from '../data/auth';
import type { EndReason } from '../session/session';
import { useFormAction } from './useFormAction';
import { useTitle } from './useTitle';

type Step = { kind: 'password' } | { kind: 'code-request' } | { kind: 'code'; email: string; note: string } | { kind: 'mfa'; mfaToken: string };

/** Why this tab was signed out (`?reason=`: the API's 401 `reason`, or `expired` when it gave none). */
const SIGNED_OUT_BECAUSE: Partial<Record<string, string>> = {
  expired: 'Your session ended. Sign in again.',
  session_ended: 'You were signed out: this session was ended from your account’s settings or by a password change. Sign in again.',
  account_suspended: 'You were signed out: your account is suspended.',
  account_deleted: 'You were signed out: this account has been deleted.',
  token_too_old: 'Your sign-in is too old to be accepted any more. Sign in again.',
} satisfies Record<EndReason | 'expired', string>;

/** The reason in words: the API's detail, with the wait spelled out for a lockout. */
function reasonOf(err: unknown): string {
  if (err instanceof ApiError && err.status === 429) {
    const wait = err.retryAfterSeconds;
    const minutes = wait ? Math.ceil(wait / 60) : undefined;
    return `Too many failed attempts: sign-in is locked${minutes ? ` — try again in ${minutes} minute${minutes === 1 ? '' : 's'}` : ''}.`;
  }
  return messageOf(err);
}

export function SignIn() {
  useTitle('Sign in');
  const navigate = useNavigate();
  const location = useLocation();
  const notice = new URLSearchParams(location.search).get('reason');
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const action = useFormAction();
  const busy = action.isPending;
  const next = (location.state as { from?: string } | null)?.from ?? '/';

  const after = (first: FirstFactor) => {
    if (first.kind === 'mfa') setStep({ kind: 'mfa', mfaToken: first.mfaToken });
    else navigate(next, { replace: true });
  };
  // Read while the submit event is dispatched: the action runs later, when e.currentTarget is null.
  const field = (form: HTMLFormElement, name: string) => String(new FormData(form).get(name) ?? '');

  return (
    <main className="narrow" id="main">
      <h1>Sign in to Agora</h1>
      {notice && SIGNED_OUT_BECAUSE[notice] && (
        <p className="notice" role="status">
          {SIGNED_OUT_BECAUSE[notice]}
        </p>
      )}
      {step.kind === 'password' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const [name, password] = [field(e.currentTarget, 'login'), field(e.currentTarget, 'password')];
            action.mutate(async () => after(await login(name, password)));
          }}
        >
          <label htmlFor="login">Username or email</label>
          <input id="login" name="login" autoComplete="username" required maxLength={254} />
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required maxLength={256} />
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          <button type="button" className="link-button" onClick={() => (action.reset(), setStep({ kind: 'code-request' }))}>
            Email me a sign-in code instead
          </button>
        </form>
      )}
      {step.kind === 'code-request' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const email = field(e.currentTarget, 'email');
            action.mutate(async () => setStep({ kind: 'code', email, note: await requestCode(email) }));
          }}
        >
          <label htmlFor="email">Email address</label>
          <input id="email" name="email" type="email" autoComplete="email" required maxLength={254} />
          <button type="submit" disabled={busy}>
            Send me a code
          </button>
          <button type="button" className="link-button" onClick={() => setStep({ kind: 'password' })}>
            Use my password
          </button>
        </form>
      )}
      {step.kind === 'code' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const code = field(e.currentTarget, 'code');
            action.mutate(async () => after(await loginWithCode(step.email, code)));
          }}
        >
          <p role="status">{step.note}</p>
          <label htmlFor="code">The 6-digit code from the email</label>
          <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" required maxLength={6} />
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
      )}
      {step.kind === 'mfa' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const code = field(e.currentTarget, 'mfa');
            action.mutate(async () => (await loginSecondFactor(step.mfaToken, code), navigate(next, { replace: true })));
          }}
        >
          <p>Two-factor authentication is on for this account.</p>
          <label htmlFor="mfa">Code from your authenticator app, or a backup code</label>
          <input id="mfa" name="mfa" autoComplete="one-time-code" required maxLength={11} />
          <button type="submit" disabled={busy}>
            Verify
          </button>
        </form>
      )}
      <FailureText error={action.error} describe={reasonOf} />
      <p>
        <Link to="/reset-password">Forgot password?</Link>
      </p>
      <p>
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </main>
  );
}
