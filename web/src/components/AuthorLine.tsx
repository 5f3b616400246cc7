import { Link } from 'react-router';
import { useUser } from '../data/people';
import { Avatar } from './Avatar';

/** Avatar, name and @username of an author id, linking to the profile. */
export function AuthorLine({ authorId, children }: { authorId: string; children?: React.ReactNode }) {
  const user = useUser(authorId);
  if (!user.data) {
    return (
      <div className="author">
        <span className="avatar avatar-initial" aria-hidden="true" />
        <span className="muted">{user.isError ? 'Unknown author' : 'Loading author…'}</span>
        {children}
      </div>
    );
  }
  const u = user.data;
  return (
    <div className="author">
      <Avatar mediaId={u.avatarMediaId} name={u.displayName || u.username} />
      <Link to={`/@${u.username}`} className="author-name">
        <strong>{u.displayName || u.username}</strong> <span className="muted">@{u.username}</span>
      </Link>
      {children}
    </div>
  );
}
