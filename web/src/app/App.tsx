import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, Outlet, RouterProvider } from 'react-router';
import { UNREACHABLE } from '../api/problem';
import { retryBoot, useBoot, useClaims } from '../session/useSession';
import { Admin } from '../screens/Admin';
import { Feed } from '../screens/Feed';
import { NotAvailable, NotFound } from '../screens/NotAvailable';
import { PostPage } from '../screens/PostPage';
import { Profile } from '../screens/Profile';
import { Settings } from '../screens/Settings';
import { SignIn } from '../screens/SignIn';
import { SignUp } from '../screens/SignUp';
import { Layout } from './Layout';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 4xx answers are final; only an unreachable API is worth one more try.
      retry: (count, err) => count < 1 && (err as { status?: number }).status === 0,
      refetchOnWindowFocus: false,
    },
  },
});

/** Waits for the cookie-to-token exchange of a page load, so a reload stays signed in. */
function Boot() {
  const state = useBoot();
  if (state === 'booting') {
    return (
      <p className="status boot" role="status">
        Loading Agora…
      </p>
    );
  }
  if (state === 'unavailable') {
    return (
      <main id="main" className="narrow">
        <h1>Agora</h1>
        <div className="error" role="alert">
          <p>{UNREACHABLE}</p>
          <button
            type="button"
            onClick={() => {
              retryBoot();
              window.location.reload();
            }}
          >
            Try again
          </button>
        </div>
      </main>
    );
  }
  return <Outlet />;
}

function SignedOutOnly() {
  return useClaims() ? <Navigate to="/" replace /> : <Outlet />;
}

function AdminOnly() {
  const claims = useClaims();
  return claims?.roles.includes('admin') ? <Outlet /> : <NotFound />;
}

const router = createBrowserRouter([
  {
    element: <Boot />,
    children: [
      {
        element: <SignedOutOnly />,
        children: [
          { path: '/signin', element: <SignIn /> },
          { path: '/signup', element: <SignUp /> },
        ],
      },
      {
        element: <Layout />,
        children: [
          { path: '/', element: <Feed /> },
          { path: '/posts/:id', element: <PostPage /> },
          { path: '/settings', element: <Settings /> },
          {
            path: '/search',
            element: <NotAvailable title="Search" needs="the API has no people or post search yet. Open a profile by its address, /@username." />,
          },
          { path: '/notifications', element: <NotAvailable title="Notifications" needs="the API has no notifications yet." /> },
          { element: <AdminOnly />, children: [{ path: '/admin', element: <Admin /> }] },
          { path: '/:handle', element: <Profile /> },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
