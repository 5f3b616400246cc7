import { useEffect, useRef, useState } from 'react';
import type { Schemas } from '../api/client';
import { REPORT_REASONS, useReport } from '../data/safety';
import { FailureText } from './Status';

type Reason = Schemas['ReportReason'];

const NOUN = { post: 'post', comment: 'comment', user: 'user' } satisfies Record<Schemas['ReportTargetKind'], string>;

/**
 * A "Report" button and its modal dialog (the native <dialog>: focus moves in, Escape closes, the
 * page behind is inert): a reason and free text, sent to the admins' queue.
 */
export function ReportButton({ kind, targetId, label }: { kind: Schemas['ReportTargetKind']; targetId: string; label: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const report = useReport();
  const [openings, setOpenings] = useState(0);
  // Into the form once it is rendered (Chromium leaves focus on the opener when nothing asks for it).
  useEffect(() => {
    if (openings) dialog.current?.querySelector<HTMLElement>('select, button')?.focus();
  }, [openings]);
  const titleId = `report-title-${targetId}`;
  return (
    <>
      <button
        type="button"
        className="link-button"
        onClick={() => {
          report.reset();
          dialog.current?.showModal();
          setOpenings((n) => n + 1);
        }}
      >
        Report<span className="visually-hidden"> {label}</span>
      </button>
      <dialog ref={dialog} className="report" aria-labelledby={titleId}>
        <h2 id={titleId}>Report this {NOUN[kind]}</h2>
        {report.isSuccess ? (
          <>
            <p role="status">Thank you — the report is with the admins.</p>
            <button type="button" onClick={() => dialog.current?.close()}>
              Close
            </button>
          </>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const form = new FormData(e.currentTarget);
              const note = String(form.get('note') ?? '').trim();
              report.mutate({ targetKind: kind, targetId, reason: String(form.get('reason')) as Reason, ...(note ? { note } : {}) });
            }}
          >
            <label htmlFor={`reason-${targetId}`}>Reason</label>
            <select id={`reason-${targetId}`} name="reason" required defaultValue="">
              <option value="" disabled>
                Choose a reason
              </option>
              {Object.entries(REPORT_REASONS).map(([value, words]) => (
                <option key={value} value={value}>
                  {words}
                </option>
              ))}
            </select>
            <label htmlFor={`note-${targetId}`}>Anything the admins should know (optional)</label>
            <textarea id={`note-${targetId}`} name="note" rows={3} maxLength={1000} />
            <div className="actions-row">
              <button type="submit" className="danger" disabled={report.isPending}>
                Send report
              </button>
              <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
                Cancel
              </button>
            </div>
            <FailureText error={report.error} />
          </form>
        )}
      </dialog>
    </>
  );
}
