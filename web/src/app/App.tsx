import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, type ComponentType } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider } from 'react-router';
import { UNREACHABLE } from '../api/problem';
import { retryBoot, useBoot, useClaims } from '../session/useSession';
import { NotFound } from '../screens/NotFound';
import { Layout } from './Layout';

/**
 * One chunk per screen (React.lazy): a page load fetches the shared code plus its own screen only,
 * so the first route's JavaScript stays small as screens grow (`npm run bench` prints it per route).
 * The screens keep their named exports; this maps one to the default export React.lazy expects.
 */
function screen<M>(load: () => Promise<M>, pick: (m: M) => ComponentType) {
  const Screen = lazy(async () => ({ default: pick(await load()) }));
  return (
    // Never a blank page while a screen's chunk loads.
    <Suspense
      fallback={
        <p className="status" role="status">
          Loading…
        </p>
      }
    >
      <Screen />
    </Suspense>
  );
}

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
          {
            path: '/signin',
            element: screen(
              () => import('../screens/SignIn'),
              (m) => m.SignIn,
            ),
          },
          {
            path: '/signup',
            element: screen(
              () => import('../screens/SignUp'),
              (m) => m.SignUp,
            ),
          },
        ],
      },
      // The pages of mailed links: open whether or not this browser is signed in.
      {
        path: '/reset-password',
        element: screen(
          () => import('../screens/ResetPassword'),
          (m) => m.ResetPassword,
        ),
      },
      {
        path: '/verify-email',
        element: screen(
          () => import('../screens/VerifyEmail'),
          (m) => m.VerifyEmail,
        ),
      },
      {
        element: <Layout />,
        children: [
          {
            path: '/',
            element: screen(
              () => import('../screens/Feed'),
              (m) => m.Feed,
            ),
          },
          {
            path: '/posts/:id',
            element: screen(
              () => import('../screens/PostPage'),
              (m) => m.PostPage,
            ),
          },
          {
            path: '/settings',
            element: screen(
              () => import('../screens/Settings'),
              (m) => m.Settings,
            ),
          },
          {
            path: '/settings/security',
            element: screen(
              () => import('../screens/SecuritySettings'),
              (m) => m.SecuritySettings,
            ),
          },
          {
            path: '/search',
            element: screen(
              () => import('../screens/Search'),
              (m) => m.Search,
            ),
          },
          {
            path: '/notifications',
            element: screen(
              () => import('../screens/Notifications'),
              (m) => m.Notifications,
            ),
          },
          {
            element: <AdminOnly />,
            children: [
              {
                path: '/admin',
                element: screen(
                  () => import('../screens/Admin'),
                  (m) => m.Admin,
                ),
              },
            ],
          },
          {
            path: '/:handle',
            element: screen(
              () => import('../screens/Profile'),
              (m) => m.Profile,
            ),
          },
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
