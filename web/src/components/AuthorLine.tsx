import { Link } from 'react-router';
import type { Schemas } from '../api/client';
import { Avatar } from './Avatar';

/**
 * Avatar, name and @username of an author the API embedded (posts, comments, likers), linking to
 * the profile — no request of its own. The names are null for the moment before posts has learnt
 * the profile; then the line says so instead of guessing.
 */
export function AuthorLine({ author, children }: { author: Schemas['Author']; children?: React.ReactNode }) {
  if (!author.username) {
    return (
      <div className="author">
        <span className="avatar avatar-initial" aria-hidden="true" />
        <span className="muted">A new member</span>
        {children}
      </div>
    );
  }
  const name = author.displayName || author.username;
  return (
    <div className="author">
      <Avatar src={author.avatarUrl} name={name} />
      <Link to={`/@${author.username}`} className="author-name">
        <strong>{name}</strong> <span className="muted">@{author.username}</span>
      </Link>
      {children}
    </div>
  );
}
