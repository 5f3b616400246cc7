import { useEffect } from 'react';

/** Each screen names the page, so history entries and screen readers say where you are. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Agora`;
  }, [title]);
}
