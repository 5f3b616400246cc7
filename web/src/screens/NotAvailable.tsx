import { useTitle } from './useTitle';

/** Screens whose API does not exist yet say so instead of pretending. */
export function NotAvailable({ title, needs }: { title: string; needs: string }) {
  useTitle(title);
  return (
    <main id="main" className="narrow">
      <h1>{title}</h1>
      <p className="notice" role="status">
        Not available yet: {needs}
      </p>
    </main>
  );
}

export function NotFound() {
  useTitle('Not found');
  return (
    <main id="main" className="narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
    </main>
  );
}
