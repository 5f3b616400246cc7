import { Link, useNavigate } from 'react-router';
import { FailureText } from '../components/Status';
import { register } from '../data/auth';
import { useFormAction } from './useFormAction';
import { useTitle } from './useTitle';

export function SignUp() {
  useTitle('Create an account');
  const navigate = useNavigate();
  const action = useFormAction();

  return (
    <main className="narrow" id="main">
      <h1>Create your Agora account</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const value = (k: string) => String(form.get(k) ?? '');
          action.mutate(async () => {
            await register({ username: value('username'), email: value('email'), password: value('password') });
            await navigate('/settings?welcome=1', { replace: true });
          });
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
        <button type="submit" disabled={action.isPending}>
          {action.isPending ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <FailureText error={action.error} />
      <p>
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </main>
  );
}
