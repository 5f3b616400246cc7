import { useState } from 'react';
import { useChangePassword } from '../../data/security';
import { FailureText } from '../../components/Status';

/** The current password and a new one; auth signs every other session out. */
export function PasswordChange() {
  const change = useChangePassword();
  const [mismatch, setMismatch] = useState(false);
  return (
    <section aria-labelledby="password">
      <h2 id="password">Password</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const formEl = e.currentTarget;
          const form = new FormData(formEl);
          const newPassword = String(form.get('new-password') ?? '');
          setMismatch(newPassword !== String(form.get('repeat-new-password') ?? ''));
          if (newPassword !== String(form.get('repeat-new-password') ?? '')) return;
          change.mutate({ currentPassword: String(form.get('current-password') ?? ''), newPassword }, { onSuccess: () => formEl.reset() });
        }}
      >
        <label htmlFor="current-password">Current password</label>
        <input id="current-password" name="current-password" type="password" autoComplete="current-password" required maxLength={256} />
        <label htmlFor="new-password">New password (at least 12 characters)</label>
        <input id="new-password" name="new-password" type="password" autoComplete="new-password" required minLength={12} maxLength={256} />
        <label htmlFor="repeat-new-password">New password again</label>
        <input
          id="repeat-new-password"
          name="repeat-new-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          maxLength={256}
        />
        <button type="submit" disabled={change.isPending}>
          Change password
        </button>
        {mismatch && (
          <p className="error" role="alert">
            The two new passwords differ.
          </p>
        )}
        {change.isSuccess && (
          <p role="status">
            Password changed. {change.data.sessionsRevoked} other session{change.data.sessionsRevoked === 1 ? ' was' : 's were'} signed out.
          </p>
        )}
        <FailureText error={change.error} />
      </form>
    </section>
  );
}
