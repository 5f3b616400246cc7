import type { ReactNode } from 'react';
import { messageOf } from '../api/problem';

/** Loading and error states every screen uses, so none is ever blank. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="status" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorNote({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="error" role="alert">
      <p>{messageOf(error)}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A failed action's reason under its form or button; nothing while there is none. */
export function FailureText({ error, describe = messageOf }: { error: unknown; describe?: (error: unknown) => string }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {describe(error)}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
