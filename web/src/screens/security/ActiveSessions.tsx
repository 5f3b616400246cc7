import { ErrorNote, Loading } from '../../components/Status';
import { useEndOtherSessions, useEndSession, useSessions } from '../../data/security';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The account's live sessions: end one, or every one but this. */
export function ActiveSessions() {
  const sessions = useSessions();
  const endOne = useEndSession();
  const endOthers = useEndOtherSessions();
  const others = sessions.data?.items.filter((s) => !s.current).length ?? 0;
  return (
    <section aria-labelledby="sessions">
      <h2 id="sessions">Active sessions</h2>
      {sessions.isPending && <Loading what="your sessions" />}
      {sessions.isError && <ErrorNote error={sessions.error} retry={() => void sessions.refetch()} />}
      {sessions.data && (
        <ul className="sessions" aria-label="Sessions">
          {sessions.data.items.map((s) => (
            <li key={s.id} className="session" data-current={s.current}>
              <p>
                <strong>{s.userAgent || 'Unknown browser or app'}</strong>
                {s.current && <span className="tag"> This browser</span>}
              </p>
              <p className="muted">
                Signed in {when(s.createdAt)} · last used {when(s.lastUsedAt)}
                {s.ipPrefix && <> · from network {s.ipPrefix}</>}
              </p>
              {!s.current && (
                <button type="button" className="danger" disabled={endOne.isPending} onClick={() => endOne.mutate(s.id)}>
                  End session<span className="visually-hidden"> signed in {when(s.createdAt)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {endOne.isError && <ErrorNote error={endOne.error} />}
      {others > 0 && (
        <button type="button" className="danger" disabled={endOthers.isPending} onClick={() => endOthers.mutate()}>
          Sign out everywhere else
        </button>
      )}
      {endOthers.isSuccess && (
        <p role="status">
          Signed out {endOthers.data.revoked} other session{endOthers.data.revoked === 1 ? '' : 's'}.
        </p>
      )}
      {endOthers.isError && <ErrorNote error={endOthers.error} />}
    </section>
  );
}
