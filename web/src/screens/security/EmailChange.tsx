import { useChangeEmail } from '../../data/security';
import { FailureText } from '../../components/Status';

/** A new address (confirmed by the link mailed to it), with the password as proof. */
export function EmailChange() {
  const change = useChangeEmail();
  return (
    <section aria-labelledby="email">
      <h2 id="email">Email address</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          change.mutate({ email: String(form.get('new-email') ?? ''), password: String(form.get('email-password') ?? '') });
        }}
      >
        <label htmlFor="new-email">New email address</label>
        <input id="new-email" name="new-email" type="email" autoComplete="email" required maxLength={254} />
        <label htmlFor="email-password">Your password</label>
        <input id="email-password" name="email-password" type="password" autoComplete="current-password" required maxLength={256} />
        <button type="submit" disabled={change.isPending}>
          Change email address
        </button>
        {change.isSuccess && <p role="status">{change.data.message}</p>}
        <FailureText error={change.error} />
      </form>
    </section>
  );
}
