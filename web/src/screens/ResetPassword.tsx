import { useState } from 'react';
import { Link } from 'react-router';
import { messageOf } from '../api/problem';
import { requestPasswordReset, resetPassword, useMailToken } from '../data/account-links';
import { useTitle } from './useTitle';

/** Without a token: ask for a reset mail. With the mailed link's token: set a new password. */
export function ResetPassword() {
  useTitle('Reset your password');
  const token = useMailToken();
  const [sent, setSent] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function run(task: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await task();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="narrow" id="main">
      <h1>Reset your password</h1>
      {!token && !sent && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const email = String(new FormData(e.currentTarget).get('email') ?? '');
            void run(async () => setSent(await requestPasswordReset(email)));
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
            if (password !== String(form.get('repeat-password') ?? '')) {
              setError('The two passwords differ.');
              return;
            }
            void run(async () => (await resetPassword(token, password), setDone(true)));
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
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {token && error && (
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
