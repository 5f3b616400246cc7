import { useState } from 'react';
import { ErrorNote, FailureText, Loading } from '../components/Status';
import { useAdminUsers, useRemovePost, useSuspend } from '../data/admin';
import { ReportQueue } from './admin/ReportQueue';
import { UserSearch } from './admin/UserSearch';
import { useTitle } from './useTitle';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Moderation: the report queue, finding a user to suspend, every user with suspend/unsuspend, and removing a post by id (comments: on the post page). */
export function Admin() {
  useTitle('Admin');
  const users = useAdminUsers();
  const suspend = useSuspend();
  const removePost = useRemovePost();
  const [postId, setPostId] = useState('');
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <main id="main">
      <h1>Admin</h1>
      <ReportQueue />
      <UserSearch />
      <section aria-labelledby="users">
        <h2 id="users">Users</h2>
        {users.isPending && <Loading what="users" />}
        {users.isError && <ErrorNote error={users.error} retry={() => void users.refetch()} />}
        {items.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col" className="wide-only">
                    Followers
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {items.map((u) => (
                  <tr key={u.id} data-username={u.username}>
                    <td>
                      {u.displayName || u.username} <span className="muted">@{u.username}</span>
                    </td>
                    <td className="wide-only">{u.followerCount}</td>
                    <td>{u.suspended ? 'Suspended' : 'Active'}</td>
                    <td>
                      <button
                        type="button"
                        className={u.suspended ? '' : 'danger'}
                        disabled={suspend.isPending}
                        onClick={() => suspend.mutate({ id: u.id, suspended: !u.suspended })}
                      >
                        {u.suspended ? 'Unsuspend' : 'Suspend'}
                        <span className="visually-hidden"> @{u.username}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {suspend.isError && <ErrorNote error={suspend.error} />}
        {users.hasNextPage && (
          <button type="button" onClick={() => void users.fetchNextPage()}>
            More users
          </button>
        )}
      </section>
      <section aria-labelledby="remove-post">
        <h2 id="remove-post">Remove a post</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            removePost.mutate(postId.trim(), { onSuccess: () => setPostId('') });
          }}
        >
          <label htmlFor="post-id">Post id (or open the post and use “Remove post”)</label>
          <input id="post-id" value={postId} onChange={(e) => setPostId(e.target.value)} pattern="[0-9a-fA-F-]{36}" required />
          <button type="submit" className="danger" disabled={!UUID.test(postId.trim()) || removePost.isPending}>
            Remove post
          </button>
          {removePost.isSuccess && <p role="status">Post removed.</p>}
          <FailureText error={removePost.error} />
        </form>
      </section>
    </main>
  );
}
