import { Link } from 'react-router';
import { session, type Schemas } from '../api/client';
import { useLike } from '../data/feed';
import { AuthorLine } from './AuthorLine';
import { PostImage } from './PostImage';
import { PostText } from './PostText';
import { ReportButton } from './ReportDialog';
import { FailureText } from './Status';

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** One post in a list: author, text, images, like button and counts that update in place. */
export function PostCard({ post, headingLevel = 2 }: { post: Schemas['PostView']; headingLevel?: 2 | 3 }) {
  const like = useLike();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article className="post" aria-labelledby={`post-${post.id}`}>
      <AuthorLine author={post.author} />
      <Heading id={`post-${post.id}`} className="visually-hidden">
        Post of {when(post.createdAt)}
      </Heading>
      <PostText text={post.text} />
      {post.media.length > 0 && (
        <div className={`images images-${Math.min(post.media.length, 4)}`}>
          {post.media.map((m, i) => (
            <PostImage key={m.id} media={m} fallbackAlt={`Image ${i + 1} of the post`} />
          ))}
        </div>
      )}
      <footer className="post-actions">
        <button
          type="button"
          className={post.likedByMe ? 'like liked' : 'like'}
          aria-pressed={post.likedByMe}
          disabled={like.isPending}
          onClick={() => like.mutate({ postId: post.id, like: !post.likedByMe })}
        >
          {post.likedByMe ? '♥' : '♡'} <span className="visually-hidden">Like</span>
          <span data-testid="like-count">{post.likeCount}</span>
          <span className="visually-hidden"> likes</span>
        </button>
        <Link to={`/posts/${post.id}`} className="comments-link">
          <span data-testid="comment-count">{post.commentCount}</span> {post.commentCount === 1 ? 'comment' : 'comments'}
        </Link>
        <Link to={`/posts/${post.id}`} className="muted">
          <time dateTime={post.createdAt}>{when(post.createdAt)}</time>
        </Link>
        {post.authorId !== session.claims?.sub && <ReportButton kind="post" targetId={post.id} label={`post of ${when(post.createdAt)}`} />}
      </footer>
      <FailureText error={like.error} />
    </article>
  );
}
