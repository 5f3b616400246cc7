import { Link } from 'react-router';
import type { Schemas } from '../../api/client';
import { ErrorNote, Empty, Loading } from '../../components/Status';
import { useUserById } from '../../data/admin';
import { REPORT_REASONS, useReports, useResolveReport } from '../../data/safety';

/** What the status line says after a resolution, by the report's new status. */
const RESOLVED: Partial<Record<Schemas['Report']['status'], string>> = {
  dismissed: 'dismissed',
  suspended: 'resolved: the user is suspended',
  content_removed: 'resolved: the content is being removed',
};

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function UserName({ id }: { id: string }) {
  const user = useUserById(id);
  if (user.data) return <Link to={`/@${user.data.username}`}>@{user.data.username}</Link>;
  return <span className="muted">{user.isError ? 'a user who is gone' : 'a user'}</span>;
}

/** What a report is about, with a way to look at it. */
function Target({ report }: { report: Schemas['Report'] }) {
  if (report.targetKind === 'user') return <UserName id={report.targetId} />;
  if (report.targetKind === 'post') return <Link to={`/posts/${report.targetId}`}>a post</Link>;
  return <span>a comment</span>;
}

/**
 * The open reports, in the API's order, with the resolutions the contract offers:
 * dismiss; suspend for a report about a user; remove the content for a post or comment report
 * (posts deletes it moments later, through an event).
 */
export function ReportQueue() {
  const reports = useReports();
  const resolve = useResolveReport();
  const items = reports.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="reports">
      <h2 id="reports">Reports</h2>
      {reports.isPending && <Loading what="reports" />}
      {reports.isError && <ErrorNote error={reports.error} retry={() => void reports.refetch()} />}
      {reports.isSuccess && items.length === 0 && <Empty>No open reports.</Empty>}
      <ul className="sessions" aria-label="Open reports">
        {items.map((r) => (
          <li key={r.id} className="report-item" data-report-id={r.id}>
            <p>
              <strong>{REPORT_REASONS[r.reason]}</strong> · {r.targetKind} · <Target report={r} />
            </p>
            {r.note && <p className="report-note">“{r.note}”</p>}
            <p className="muted">
              Reported {when(r.createdAt)} by <UserName id={r.reporterId} />
            </p>
            <div className="actions-row">
              <button
                type="button"
                className="secondary"
                disabled={resolve.isPending}
                onClick={() => resolve.mutate({ id: r.id, action: 'dismiss' })}
              >
                Dismiss<span className="visually-hidden"> report {r.id}</span>
              </button>
              {r.targetKind === 'user' && (
                <button type="button" className="danger" disabled={resolve.isPending} onClick={() => resolve.mutate({ id: r.id, action: 'suspend' })}>
                  Suspend the user<span className="visually-hidden"> of report {r.id}</span>
                </button>
              )}
              {r.targetKind !== 'user' && (
                <button
                  type="button"
                  className="danger"
                  disabled={resolve.isPending}
                  onClick={() => resolve.mutate({ id: r.id, action: 'remove_content' })}
                >
                  Remove the {r.targetKind}
                  <span className="visually-hidden"> of report {r.id}</span>
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {resolve.isError && <ErrorNote error={resolve.error} />}
      {resolve.isSuccess && <p role="status">Report {RESOLVED[resolve.data.status] ?? 'resolved'}.</p>}
      {reports.hasNextPage && (
        <button type="button" onClick={() => void reports.fetchNextPage()}>
          More reports
        </button>
      )}
    </section>
  );
}
