import { useEffect, useState, useSyncExternalStore } from 'react';
import { session } from '../api/client';
import type { RefreshOutcome } from './session';

/** The signed-in person's claims (or undefined), re-rendering on sign-in and sign-out. */
export function useClaims() {
  return useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.claims,
  );
}

let boot: Promise<RefreshOutcome> | undefined;

/** On page load the cookie (if any) is exchanged for an access token once: a reload stays signed in. */
export function useBoot(): 'booting' | RefreshOutcome {
  const [state, setState] = useState<'booting' | RefreshOutcome>(session.signedIn ? 'refreshed' : 'booting');
  useEffect(() => {
    if (session.signedIn) return;
    boot ??= session.refresh();
    let live = true;
    void boot.then((outcome) => live && setState(outcome));
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** Lets the boot be retried after "Agora can't be reached". */
export function retryBoot(): void {
  boot = undefined;
}
