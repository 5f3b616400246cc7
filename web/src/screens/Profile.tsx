import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router';
import { session, type Schemas } from '../api/client';
import { Avatar, mediaContentUrl } from '../components/Avatar';
import { LoadMore } from '../components/LoadMore';
import { PostCard } from '../components/PostCard';
import { ReportButton } from '../components/ReportDialog';
import { Empty, ErrorNote, Loading } from '../components/Status';
import { useUserByName } from '../data/people';
import { useAuthorPosts, useFollow, useFollows } from '../data/profile';
import { useRelationship } from '../data/safety';
import { useTitle } from './useTitle';

function FollowList({ userId, which }: { userId: string; which: 'followers' | 'following' }) {
  const list = useFollows(userId, which);
  if (list.isPending) return <Loading what={which} />;
  if (list.isError) return <ErrorNote error={list.error} />;
  if (!list.data.items.length) return <Empty>{which === 'followers' ? 'No followers yet.' : 'Not following anyone yet.'}</Empty>;
  return (
    <ul className="people">
      {list.data.items.map((p) => (
        <li key={p.id}>
          <Avatar src={mediaContentUrl(p.avatarMediaId)} name={p.displayName || p.username} size={32} />
          <Link to={`/@${p.username}`}>
            {p.displayName || p.username} <span className="muted">@{p.username}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** A pressed-or-not button that turns a block or a mute on or off. */
function RelationshipToggle({
  on,
  change,
  labels: [turnOn, turnOff],
}: {
  on: boolean;
  change: ReturnType<typeof useRelationship>;
  labels: [string, string];
}) {
  return (
    <button type="button" className="secondary" aria-pressed={on} disabled={change.isPending} onClick={() => change.mutate(!on)}>
      {on ? turnOff : turnOn}
    </button>
  );
}

/** Block, mute and report: what the person can do about someone else's profile. */
function SafetyActions({ profile }: { profile: Schemas['UserProfile'] }) {
  const block = useRelationship(profile.id, profile.username, 'block');
  const mute = useRelationship(profile.id, profile.username, 'mute');
  return (
    <div className="actions-row safety-actions">
      <RelationshipToggle on={profile.muting} change={mute} labels={['Mute', 'Unmute']} />
      <RelationshipToggle on={profile.blocking} change={block} labels={['Block', 'Unblock']} />
      <ReportButton kind="user" targetId={profile.id} label={`@${profile.username}`} />
      {profile.blocking && (
        <p className="muted">You block @{profile.username}: they cannot follow you, comment on or like your posts, or find you in search.</p>
      )}
      {profile.muting && <p className="muted">You mute @{profile.username}: their posts and notifications are hidden from you.</p>}
      {block.isError && <ErrorNote error={block.error} />}
      {mute.isError && <ErrorNote error={mute.error} />}
    </div>
  );
}

export function Profile() {
  const { handle = '' } = useParams();
  const username = handle.replace(/^@/, '');
  useTitle(`@${username}`);
  const profile = useUserByName(username);
  const id = profile.data?.id;
  const me = session.claims?.sub;
  const posts = useAuthorPosts(id);
  const follow = useFollow(id ?? '', username);
  const [tab, setTab] = useState<'posts' | 'followers' | 'following'>('posts');
  const more = useCallback(() => void posts.fetchNextPage(), [posts]);

  if (!handle.startsWith('@'))
    return (
      <main id="main">
        <h1>Not found</h1>
        <ErrorNote error={new Error('No such page.')} />
      </main>
    );
  if (profile.isPending)
    return (
      <main id="main">
        <h1>@{username}</h1>
        <Loading what="the profile" />
      </main>
    );
  if (profile.isError)
    return (
      <main id="main">
        <h1>@{username}</h1>
        <ErrorNote error={profile.error} retry={() => void profile.refetch()} />
      </main>
    );
  const p = profile.data;
  const items = posts.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <main id="main">
      <header className="profile-head">
        <Avatar src={mediaContentUrl(p.avatarMediaId)} name={p.displayName || p.username} size={96} />
        <div>
          <h1>{p.displayName || p.username}</h1>
          <p className="muted">@{p.username}</p>
          {p.bio && <p className="bio">{p.bio}</p>}
          <p className="counts">
            <strong data-testid="follower-count">{p.followerCount}</strong> followers · <strong>{p.followingCount}</strong> following
          </p>
          {/* A block ends the follows both ways and refuses new ones: no Follow while blocking. */}
          {id !== me && !p.blocking && (
            <button
              type="button"
              disabled={!profile.data || follow.isPending}
              aria-pressed={profile.data?.following ?? false}
              onClick={() => follow.mutate(!profile.data?.following)}
            >
              {profile.data?.following ? 'Unfollow' : 'Follow'}
            </button>
          )}
          {id === me && <Link to="/settings">Edit profile</Link>}
          {follow.isError && <ErrorNote error={follow.error} />}
          {id && id !== me && <SafetyActions profile={p} />}
        </div>
      </header>
      <nav className="tabs" aria-label="Profile sections">
        {(['posts', 'followers', 'following'] as const).map((t) => (
          <button key={t} type="button" aria-pressed={tab === t} onClick={() => setTab(t)}>
            {t[0]!.toUpperCase() + t.slice(1)}
          </button>
        ))}
      </nav>
      {tab === 'posts' && (
        <section aria-label={`Posts of @${p.username}`}>
          {posts.isPending && <Loading what="posts" />}
          {posts.isError && <ErrorNote error={posts.error} retry={() => void posts.refetch()} />}
          {posts.isSuccess && items.length === 0 && <Empty>No posts yet.</Empty>}
          {items.map((post) => (
            <PostCard key={post.id} post={post} />
          ))}
          {posts.isSuccess && items.length > 0 && (
            <LoadMore what="posts" hasMore={posts.hasNextPage} loading={posts.isFetchingNextPage} onMore={more} />
          )}
        </section>
      )}
      {tab !== 'posts' && id && (
        <section aria-label={tab}>
          <FollowList userId={id} which={tab} />
        </section>
      )}
    </main>
  );
}
