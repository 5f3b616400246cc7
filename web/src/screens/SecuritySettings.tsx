import { Link } from 'react-router';
import { ActiveSessions } from './security/ActiveSessions';
import { BlockedAndMuted } from './security/BlockedAndMuted';
import { DeleteAccount } from './security/DeleteAccount';
import { EmailChange } from './security/EmailChange';
import { PasswordChange } from './security/PasswordChange';
import { useTitle } from './useTitle';

/** Settings → Security: sessions, password, email address, blocked and muted people, account deletion. */
export function SecuritySettings() {
  useTitle('Security settings');
  return (
    <main id="main">
      <p>
        <Link to="/settings">← Settings</Link>
      </p>
      <h1>Security</h1>
      <ActiveSessions />
      <PasswordChange />
      <EmailChange />
      <BlockedAndMuted />
      <DeleteAccount />
    </main>
  );
}
