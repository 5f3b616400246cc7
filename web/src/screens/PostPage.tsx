import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { session, type Schemas } from '../api/client';
import { AuthorLine } from '../components/AuthorLine';
import { PostCard } from '../components/PostCard';
import { Empty, ErrorNote, FailureText, Loading } from '../components/Status';
import { useRemoveComment, useRemovePost } from '../data/admin';
import { useAddComment, useComments, useDeleteComment, useDeletePost, useLikers, usePost } from '../data/post';
import { PostText } from '../components/PostText';
import { ReportButton } from '../components/ReportDialog';
import { useTitle } from './useTitle';

function Liker({ author }: { author: Schemas['Author'] }) {
  return <li>{author.username ? `@${author.username}` : 'A new member'}</li>;
}

export function PostPage() {
  useTitle('Post');
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const post = usePost(id);
  const comments = useComments(id);
  const likers = useLikers(id);
  const add = useAddComment(id);
  const remove = useDeleteComment(id);
  const moderate = useRemoveComment(id);
  const deletePost = useDeletePost();
  const removePost = useRemovePost();
  const [text, setText] = useState('');
  const me = session.claims?.sub;
  const admin = session.isAdmin();

  if (post.isPending)
    return (
      <main id="main">
        <h1>Post</h1>
        <Loading what="the post" />
      </main>
    );
  if (post.isError)
    return (
      <main id="main">
        <h1>Post</h1>
        <ErrorNote error={post.error} retry={() => void post.refetch()} />
      </main>
    );
  const mine = post.data.authorId === me;
  const items = comments.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <main id="main">
      <h1>Post</h1>
      <PostCard post={post.data} />
      {(mine || admin) && (
        <p>
          <button
            type="button"
            className="danger"
            onClick={() => {
              if (!window.confirm('Remove this post?')) return;
              const done = { onSuccess: () => navigate('/', { replace: true }) };
              if (mine) deletePost.mutate(id, done);
              else removePost.mutate(id, done);
            }}
          >
            {mine ? 'Delete my post' : 'Remove post (admin)'}
          </button>
        </p>
      )}
      {(deletePost.isError || removePost.isError) && <ErrorNote error={deletePost.error ?? removePost.error} />}

      <section aria-labelledby="likers">
        <h2 id="likers">Liked by</h2>
        {likers.isPending && <Loading what="likes" />}
        {likers.isError && <ErrorNote error={likers.error} />}
        {likers.data &&
          (likers.data.items.length ? (
            <ul className="likers">
              {likers.data.items.map((l) => (
                <Liker key={l.userId} author={l.author} />
              ))}
            </ul>
          ) : (
            <Empty>No likes yet.</Empty>
          ))}
      </section>

      <section aria-labelledby="comments">
        <h2 id="comments">Comments</h2>
        <form
          className="comment-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) add.mutate(text, { onSuccess: () => setText('') });
          }}
        >
          <label htmlFor="comment-text">Add a comment</label>
          <textarea id="comment-text" rows={2} maxLength={300} value={text} onChange={(e) => setText(e.target.value)} />
          <button type="submit" disabled={!text.trim() || add.isPending}>
            Comment
          </button>
          <FailureText error={add.error} />
        </form>
        {comments.isPending && <Loading what="comments" />}
        {comments.isError && <ErrorNote error={comments.error} retry={() => void comments.refetch()} />}
        {comments.isSuccess && items.length === 0 && <Empty>No comments yet.</Empty>}
        <ul className="comments">
          {items.map((c) => (
            <li key={c.id} className="comment">
              <AuthorLine author={c.author} />
              <PostText text={c.text} />
              {c.authorId === me && (
                <button type="button" className="link-button" onClick={() => remove.mutate(c.id)}>
                  Delete my comment
                </button>
              )}
              {c.authorId !== me && (
                <ReportButton kind="comment" targetId={c.id} label={`comment of ${c.author.username ? `@${c.author.username}` : 'a member'}`} />
              )}
              {c.authorId !== me && admin && (
                <button type="button" className="link-button" onClick={() => moderate.mutate(c.id)}>
                  Remove comment (admin)
                </button>
              )}
            </li>
          ))}
        </ul>
        {(remove.isError || moderate.isError) && <ErrorNote error={remove.error ?? moderate.error} />}
        {comments.hasNextPage && (
          <button type="button" onClick={() => void comments.fetchNextPage()}>
            More comments
          </button>
        )}
      </section>
    </main>
  );
}
