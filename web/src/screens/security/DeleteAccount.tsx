import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { deleteAccount } from '../../data/security';
import { FailureText } from '../../components/Status';

/** Deletion after re-authentication: the password, or a code of the second factor. */
export function DeleteAccount() {
  const remove = useMutation({ mutationFn: deleteAccount });
  const [withCode, setWithCode] = useState(false);
  return (
    <section aria-labelledby="delete-account">
      <h2 id="delete-account">Delete account</h2>
      <p>This removes your profile, posts, comments and likes for good, and signs you out everywhere.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const proof = String(new FormData(e.currentTarget).get('delete-proof') ?? '');
          remove.mutate(withCode ? { code: proof } : { password: proof });
        }}
      >
        {withCode ? (
          <>
            <label htmlFor="delete-proof">A code from your authenticator app, or a backup code</label>
            <input key="code" id="delete-proof" name="delete-proof" autoComplete="one-time-code" required maxLength={11} />
          </>
        ) : (
          <>
            <label htmlFor="delete-proof">Your password, to confirm it is you</label>
            <input key="password" id="delete-proof" name="delete-proof" type="password" autoComplete="current-password" required maxLength={256} />
          </>
        )}
        <button type="button" className="link-button" onClick={() => setWithCode(!withCode)}>
          {withCode ? 'Use my password instead' : 'Use a two-factor code instead'}
        </button>
        <label className="check">
          <input type="checkbox" name="delete-understood" required /> I understand this cannot be undone
        </label>
        <button type="submit" className="danger" disabled={remove.isPending}>
          {remove.isPending ? 'Deleting…' : 'Delete my account'}
        </button>
        <FailureText error={remove.error} />
      </form>
    </section>
  );
}
