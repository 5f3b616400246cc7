import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useMailToken, verifyEmail } from '../data/account-links';
import { useClaims } from '../session/useSession';
import { useTitle } from './useTitle';
import { FailureText } from '../components/Status';

/** The mailed link of a new or changed address: one press confirms it. */
export function VerifyEmail() {
  useTitle('Confirm your email address');
  const token = useMailToken();
  const verify = useMutation({ mutationFn: verifyEmail });
  const signedIn = Boolean(useClaims());
  return (
    <main className="narrow" id="main">
      <h1>Confirm your email address</h1>
      {!token && (
        <p className="error" role="alert">
          This page needs the link from the mail: open it from there, whole.
        </p>
      )}
      {token && !verify.isSuccess && (
        <>
          <p>Confirm that this address is yours.</p>
          <button type="button" disabled={verify.isPending} onClick={() => verify.mutate(token)}>
            {verify.isPending ? 'Confirming…' : 'Confirm my address'}
          </button>
        </>
      )}
      {verify.isSuccess && (
        <p className="notice" role="status">
          Confirmed: <strong>{verify.data.email}</strong> is your account’s address.
        </p>
      )}
      <FailureText error={verify.error} />
      <p>{signedIn ? <Link to="/settings/security">Back to settings</Link> : <Link to="/signin">Sign in</Link>}</p>
    </main>
  );
}
