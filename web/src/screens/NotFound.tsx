import { useTitle } from './useTitle';

export function NotFound() {
  useTitle('Not found');
  return (
    <main id="main" className="narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
    </main>
  );
}
