import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import type { Schemas } from '../api/client';
import { messageOf } from '../api/problem';
import { Avatar, mediaContentUrl } from '../components/Avatar';
import { ImagePicker } from '../components/ImagePicker';
import { ErrorNote, FailureText, Loading } from '../components/Status';
import { useMe } from '../data/people';
import { startTwoFactorSetup, useConfirmTwoFactor, useDisableTwoFactor, useTwoFactorStatus, useUpdateProfile } from '../data/settings';
import { useTitle } from './useTitle';

function ProfileForm({ me }: { me: Schemas['UserProfile'] }) {
  const update = useUpdateProfile();
  const [name, setName] = useState(me.displayName);
  const [bio, setBio] = useState(me.bio);
  useEffect(() => {
    setName(me.displayName);
    setBio(me.bio);
  }, [me.displayName, me.bio]);
  return (
    <section aria-labelledby="profile-settings">
      <h2 id="profile-settings">Profile</h2>
      <div className="avatar-row">
        <Avatar src={mediaContentUrl(me.avatarMediaId)} name={me.displayName || me.username} size={72} />
        <ImagePicker label="Upload a new avatar" onUploaded={(media) => update.mutate({ avatarMediaId: media.id })} />
        {me.avatarMediaId && (
          <button type="button" onClick={() => update.mutate({ avatarMediaId: null })}>
            Remove avatar
          </button>
        )}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ displayName: name, bio });
        }}
      >
        <label htmlFor="display-name">Display name</label>
        <input id="display-name" value={name} maxLength={50} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="bio">Bio</label>
        <textarea id="bio" value={bio} maxLength={280} rows={3} onChange={(e) => setBio(e.target.value)} />
        <button type="submit" disabled={update.isPending}>
          Save profile
        </button>
        {update.isSuccess && <p role="status">Saved.</p>}
        <FailureText error={update.error} />
      </form>
    </section>
  );
}

function TwoFactor() {
  const status = useTwoFactorStatus();
  const confirm = useConfirmTwoFactor();
  const disable = useDisableTwoFactor();
  const [setup, setSetup] = useState<Schemas['TwoFactorSetupResponse'] | undefined>();
  const [setupError, setSetupError] = useState<string | undefined>();
  const [codes, setCodes] = useState<string[] | undefined>();

  return (
    <section aria-labelledby="two-factor">
      <h2 id="two-factor">Two-factor authentication</h2>
      {status.isPending && <Loading what="two-factor status" />}
      {status.isError && <ErrorNote error={status.error} retry={() => void status.refetch()} />}
      {codes && (
        <div className="backup-codes" role="status">
          <p>
            <strong>Two-factor authentication is on.</strong> Keep these backup codes somewhere safe — each works once, and they are shown only now.
          </p>
          <ul data-testid="backup-codes">
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {status.data && !status.data.enabled && !setup && (
        <>
          <p>Off. Turn it on to ask for a code from an authenticator app when you sign in.</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setSetupError(undefined);
              const password = String(new FormData(e.currentTarget).get('setup-password') ?? '');
              startTwoFactorSetup(password).then(setSetup, (err: unknown) => setSetupError(messageOf(err)));
            }}
          >
            <label htmlFor="setup-password">Your password, to confirm it is you</label>
            <input id="setup-password" name="setup-password" type="password" autoComplete="current-password" required />
            <button type="submit">Set up two-factor authentication</button>
          </form>
        </>
      )}
      {setupError && (
        <p className="error" role="alert">
          {setupError}
        </p>
      )}
      {setup && !codes && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const code = String(new FormData(e.currentTarget).get('totp') ?? '');
            confirm.mutate(code, { onSuccess: (answer) => (setCodes(answer.backupCodes), setSetup(undefined)) });
          }}
        >
          <p>Scan this QR code with your authenticator app, or enter the key by hand.</p>
          <img
            className="qr"
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrSvg)}`}
            alt="QR code for your authenticator app"
            width={200}
            height={200}
          />
          <p>
            Key: <code data-testid="totp-secret">{setup.secret}</code>
          </p>
          <label htmlFor="totp">6-digit code from the app</label>
          <input id="totp" name="totp" inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" required maxLength={6} />
          <button type="submit" disabled={confirm.isPending}>
            Turn on
          </button>
          <FailureText error={confirm.error} />
        </form>
      )}
      {status.data?.enabled && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            disable.mutate(
              { code: String(form.get('disable-code') ?? ''), password: String(form.get('disable-password') ?? '') },
              { onSuccess: () => setCodes(undefined) },
            );
          }}
        >
          <p>
            On · {status.data.backupCodesRemaining} backup code{status.data.backupCodesRemaining === 1 ? '' : 's'} left.
          </p>
          <label htmlFor="disable-code">To turn it off, enter a code from the app or a backup code</label>
          <input id="disable-code" name="disable-code" autoComplete="one-time-code" required maxLength={11} />
          <label htmlFor="disable-password">Your password</label>
          <input id="disable-password" name="disable-password" type="password" autoComplete="current-password" required />
          <button type="submit" className="danger" disabled={disable.isPending}>
            Turn off
          </button>
          <FailureText error={disable.error} />
        </form>
      )}
    </section>
  );
}

export function Settings() {
  useTitle('Settings');
  const me = useMe();
  const welcome = new URLSearchParams(useLocation().search).has('welcome');
  return (
    <main id="main">
      <h1>Settings</h1>
      {welcome && (
        <p className="notice" role="status">
          Welcome to Agora! Add a name and an avatar so people recognise you.
        </p>
      )}
      {me.isPending && <Loading what="your profile" />}
      {me.isError && <ErrorNote error={me.error} retry={() => void me.refetch()} />}
      {me.data && <ProfileForm me={me.data} />}
      <TwoFactor />
      <section aria-labelledby="security">
        <h2 id="security">Security</h2>
        <p>
          <Link to="/settings/security">Sessions, password, email address, blocked and muted people, account deletion</Link>
        </p>
      </section>
    </main>
  );
}
