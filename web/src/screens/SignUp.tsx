import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { messageOf } from '../api/problem';
import { register } from '../data/auth';
import { useTitle } from './useTitle';

export function SignUp() {
  useTitle('Create an account');
  const navigate = useNavigate();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  return (
    <main className="narrow" id="main">
      <h1>Create your Agora account</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const value = (k: string) => String(form.get(k) ?? '');
          setBusy(true);
          setError(undefined);
          register({ username: value('username'), email: value('email'), password: value('password') })
            .then(() => navigate('/settings?welcome=1', { replace: true }))
            .catch((err: unknown) => setError(messageOf(err)))
            .finally(() => setBusy(false));
        }}
      >
        <label htmlFor="username">Username</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          required
          pattern="[A-Za-z0-9_]{3,30}"
          maxLength={30}
          aria-describedby="username-help"
        />
        <p id="username-help" className="help">
          3–30 letters, digits or underscores.
        </p>
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="email" required maxLength={254} />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          maxLength={256}
          aria-describedby="password-help"
        />
        <p id="password-help" className="help">
          At least 12 characters, not containing your username.
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p>
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </main>
  );
}
