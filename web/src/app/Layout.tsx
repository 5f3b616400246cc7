import { useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { session } from '../api/client';
import { useClaims } from '../session/useSession';
import { useMe } from '../data/people';
import { useNotificationStream, useUnreadCount } from '../data/notifications';

/** The frame of every signed-in screen: skip link, navigation, sign-out. */
export function Layout() {
  const claims = useClaims();
  const navigate = useNavigate();
  const location = useLocation();
  const client = useQueryClient();
  const me = useMe(Boolean(claims));
  const unread = useUnreadCount(Boolean(claims));
  useNotificationStream(Boolean(claims));
  const leaving = useRef(false);
  const wasSignedIn = useRef(false);
  if (claims) wasSignedIn.current = true;

  // Signed out elsewhere (refused refresh, suspension, another tab): leave for the sign-in page,
  // which says why when the API did (the 401's `reason`).
  useEffect(() => {
    if (!claims) {
      client.clear();
      if (leaving.current) navigate('/signin', { replace: true });
      else if (wasSignedIn.current)
        navigate(`/signin?reason=${session.endReason ?? 'expired'}`, { replace: true, state: { from: location.pathname } });
      else navigate('/signin', { replace: true, state: { from: location.pathname } });
    }
  }, [claims, client, navigate, location.pathname]);
  if (!claims) return null;

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="top">
        <nav aria-label="Main">
          <Link to="/" className="brand">
            Agora
          </Link>
          <NavLink to="/" end>
            Home
          </NavLink>
          {me.data && <NavLink to={`/@${me.data.username}`}>Profile</NavLink>}
          <NavLink to="/search">Search</NavLink>
          <NavLink to="/notifications">
            Notifications
            {unread.data && unread.data.unread > 0 ? (
              <span className="badge" data-testid="unread-badge">
                {unread.data.unread}
                <span className="visually-hidden"> unread</span>
              </span>
            ) : null}
          </NavLink>
          <NavLink to="/settings">Settings</NavLink>
          {claims.roles.includes('admin') && <NavLink to="/admin">Admin</NavLink>}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              leaving.current = true;
              void session.signOut();
            }}
          >
            Sign out
          </button>
        </nav>
      </header>
      <Outlet />
    </>
  );
}
