import { useState } from 'react';
import { Link } from 'react-router';
import { FailureText } from '../components/Status';
import { requestPasswordReset, resetPassword, useMailToken } from '../data/account-links';
import { useFormAction } from './useFormAction';
import { useTitle } from './useTitle';

/** Without a token: ask for a reset mail. With the mailed link's token: set a new password. */
export function ResetPassword() {
  useTitle('Reset your password');
  const token = useMailToken();
  const [sent, setSent] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const [mismatch, setMismatch] = useState(false);
  const action = useFormAction();
  const busy = action.isPending;

  return (
    <main className="narrow" id="main">
      <h1>Reset your password</h1>
      {!token && !sent && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const email = String(new FormData(e.currentTarget).get('email') ?? '');
            action.mutate(async () => setSent(await requestPasswordReset(email)));
          }}
        >
          <p>Enter the address of your account; we mail you a link to set a new password.</p>
          <label htmlFor="email">Email address</label>
          <input id="email" name="email" type="email" autoComplete="email" required maxLength={254} />
          <button type="submit" disabled={busy}>
            Send me a reset link
          </button>
        </form>
      )}
      {sent && (
        <p className="notice" role="status">
          {sent}
        </p>
      )}
      {token && !done && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            const password = String(form.get('new-password') ?? '');
            const differ = password !== String(form.get('repeat-password') ?? '');
            setMismatch(differ);
            if (differ) return action.reset();
            action.mutate(async () => (await resetPassword(token, password), setDone(true)));
          }}
        >
          <label htmlFor="new-password">New password (at least 12 characters)</label>
          <input id="new-password" name="new-password" type="password" autoComplete="new-password" required minLength={12} maxLength={256} />
          <label htmlFor="repeat-password">New password again</label>
          <input id="repeat-password" name="repeat-password" type="password" autoComplete="new-password" required minLength={12} maxLength={256} />
          <button type="submit" disabled={busy}>
            Set new password
          </button>
        </form>
      )}
      {done && (
        <p className="notice" role="status">
          Your password is set, and every session of the account was signed out. <Link to="/signin">Sign in</Link> with the new password.
        </p>
      )}
      {mismatch && (
        <p className="error" role="alert">
          The two passwords differ.
        </p>
      )}
      <FailureText error={action.error} />
      {token && (mismatch || action.isError) && (
        <p>
          <Link to="/reset-password" reloadDocument>
            Ask for a new link
          </Link>
        </p>
      )}
      <p>
        <Link to="/signin">Back to sign in</Link>
      </p>
    </main>
  );
}
