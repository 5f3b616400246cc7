import { problems, type Database, type Queryable, type UserPrincipal } from '@agora/mesh';
import { PROFILE_COLUMNS, type Profile } from '../models/index.js';
import type { ProfileFields, UpdateProfileRequest, UserProfile } from '../controllers/schemas.js';
import type { ProfileEvents } from './profile-events.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks that a media id may be someone's avatar (implemented with media's internal lookup). */
export interface AvatarCheck {
  assertAttachable(mediaId: string, ownerId: string): Promise<void>;
}

/** Revokes an account at auth (implemented with auth's internal deletion). */
export interface AccountRevoker {
  deleteAccount(userId: string): Promise<void>;
}

export function toProfile(p: Profile): ProfileFields {
  return {
    id: p.id,
    username: p.username,
    displayName: p.displayName,
    bio: p.bio,
    avatarMediaId: p.avatarMediaId ?? null,
    followerCount: p.followerCount,
    followingCount: p.followingCount,
    createdAt: p.createdAt,
  };
}

/** Your own profile: you neither follow nor are followed by yourself. */
export function ownProfile(p: Profile): UserProfile {
  return { ...toProfile(p), following: false, followedBy: false, blocking: false, muting: false };
}

/** The select list of a profile seen by the viewer bound to `$viewerParam` (alias `p`). */
function viewedColumns(viewerParam: number): string {
  return `${PROFILE_COLUMNS},
    EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $${viewerParam} AND f.followee_id = p.id) AS following,
    EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = p.id AND f.followee_id = $${viewerParam}) AS "followedBy",
    EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $${viewerParam} AND b.blocked_id = p.id) AS blocking,
    EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = $${viewerParam} AND m.muted_id = p.id) AS muting`;
}

type ViewedRow = Profile & { following: boolean; followedBy: boolean; blocking: boolean; muting: boolean };

function toViewed(row: ViewedRow): UserProfile {
  return { ...toProfile(row), following: row.following, followedBy: row.followedBy, blocking: row.blocking, muting: row.muting };
}

/**
 * Profiles. A profile is created when auth's `account.registered` arrives (account-consumer.ts), so a
 * user who just registered is findable at once. Every authenticated operation still starts with
 * `ensure(principal)`, an idempotent, race-safe insert keyed by the token's `sub`, so a request that
 * outruns the event never sees a 404 for its own profile.
 */
export class Profiles {
  constructor(
    private readonly db: Database,
    private readonly avatars: AvatarCheck,
    private readonly accounts: AccountRevoker,
    private readonly events: ProfileEvents,
  ) {}

  /** The caller's profile, created from the token on first use. 401 once the account was deleted. */
  async ensure(principal: UserPrincipal): Promise<Profile> {
    const existing = await this.find(principal.userId);
    if (existing) {
      // A suspended user's access token lives out its minutes; users refuses it meanwhile.
      if (existing.suspendedAt) throw problems.forbidden('This account is suspended.');
      return existing;
    }
    const base =
      principal.username && /^[A-Za-z0-9_]{1,60}$/.test(principal.username)
        ? principal.username
        : `user_${principal.userId.replace(/-/g, '').slice(0, 12)}`;
    // A name taken by another id means auth and users disagree (never expected: auth keeps names
    // unique and reserved forever); the profile still gets created, under a disambiguated name.
    for (const username of [base, `${base}_${principal.userId.replace(/-/g, '').slice(0, 8)}`]) {
      const created = await this.insertUnlessDeleted(principal.userId, username);
      if (created === 'deleted') throw problems.unauthorized('This account has been deleted.');
      const profile = await this.find(principal.userId);
      if (profile) return profile;
    }
    throw problems.conflict('Your profile could not be created; contact support.');
  }

  /** INSERT ... ON CONFLICT DO NOTHING: concurrent first requests create exactly one row. */
  private async insertUnlessDeleted(id: string, username: string): Promise<'ok' | 'deleted'> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ deleted: boolean; inserted: boolean }>(
        `WITH gone AS (SELECT EXISTS (SELECT 1 FROM deleted_profiles WHERE id = $1::uuid) AS deleted),
              ins AS (
                INSERT INTO profiles (id, username, display_name)
                SELECT $1::uuid, $2::text, $2::text FROM gone WHERE NOT gone.deleted
                ON CONFLICT DO NOTHING
                RETURNING id
              )
         SELECT gone.deleted, EXISTS (SELECT 1 FROM ins) AS inserted FROM gone`,
        [id, username],
      );
      if (row?.inserted) await this.events.updated(tx, id);
      return row?.deleted ? 'deleted' : 'ok';
    });
  }

  /** A profile as `viewer` sees it (with whether each follows the other; both false for an anonymous reader). */
  async byId(id: string, viewer: string | null): Promise<UserProfile> {
    const [row] = UUID.test(id) ? await this.db.query<ViewedRow>(`SELECT ${viewedColumns(2)} FROM profiles p WHERE p.id = $1`, [id, viewer]) : [];
    if (!row) throw problems.notFound('No such user.');
    return toViewed(row);
  }

  /** The stored profile with this id (a well-formed UUID), if any. */
  async find(id: string): Promise<Profile | undefined> {
    const [row] = await this.db.query<Profile>(`SELECT ${PROFILE_COLUMNS} FROM profiles p WHERE p.id = $1`, [id]);
    return row;
  }

  /** A profile by username (case-insensitive) as `viewer` sees it. */
  async byUsername(username: string, viewer: string | null): Promise<UserProfile> {
    const [row] = await this.db.query<ViewedRow>(`SELECT ${viewedColumns(2)} FROM profiles p WHERE lower(p.username) = lower($1)`, [
      username,
      viewer,
    ]);
    if (!row) throw problems.notFound('No such user.');
    return toViewed(row);
  }

  /** Applies the present fields; an avatar must be an image the caller uploaded (checked at media). */
  async update(me: Profile, changes: UpdateProfileRequest): Promise<UserProfile> {
    if (changes.avatarMediaId) await this.avatars.assertAttachable(changes.avatarMediaId.toLowerCase(), me.id);
    if (changes.displayName === undefined && changes.bio === undefined && changes.avatarMediaId === undefined) return ownProfile(me);
    // A column changes only when its field was sent (an absent one binds NULL → kept); avatarMediaId may be set to null.
    // profile.updated goes out in the same transaction when what others show (name, avatar) changed.
    const updated = await this.db.transaction(async (tx) => {
      const [row] = await tx.query<Profile>(
        `UPDATE profiles p SET
           display_name = COALESCE($2, p.display_name),
           bio = COALESCE($3, p.bio),
           avatar_media_id = CASE WHEN $4 THEN $5::uuid ELSE p.avatar_media_id END,
           updated_at = now()
         WHERE p.id = $1 RETURNING ${PROFILE_COLUMNS}`,
        [me.id, changes.displayName ?? null, changes.bio ?? null, changes.avatarMediaId !== undefined, changes.avatarMediaId?.toLowerCase() ?? null],
      );
      if (row && (row.displayName !== me.displayName || (row.avatarMediaId ?? null) !== (me.avatarMediaId ?? null))) {
        await this.events.updated(tx, me.id);
      }
      return row;
    });
    if (!updated) throw problems.unauthorized('This account has been deleted.');
    return ownProfile(updated);
  }

  /**
   * Deletes the caller. Auth first: if auth cannot revoke the account (down, timeout), the answer is
   * 503 and nothing is deleted here, so the user can simply retry. Auth publishes `account.deleted`
   * with the deletion, which erases the user in posts and media (and here again, harmlessly); users
   * erases its part at once as well, so the answer reflects it. Auth's deletion is idempotent, so a
   * retry after a local failure completes the job.
   */
  async deleteMe(me: Profile): Promise<void> {
    await this.accounts.deleteAccount(me.id);
    await this.db.transaction((tx) => eraseProfile(tx, me.id));
  }
}

/**
 * Erases a user from users in `tx`: every follow in both directions (with the counterparts' counts),
 * the profile, and a tombstone that keeps a still-valid access token (or a late event) from
 * re-creating it. Idempotent: the caller's own deletion and auth's `account.deleted` both run it.
 */
export async function eraseProfile(tx: Queryable, id: string): Promise<void> {
  await lockGraphOf(tx, id);
  const q = (sql: string) => tx.execute(sql, [id]);
  await q(`UPDATE profiles p SET follower_count = p.follower_count - 1, updated_at = now()
             FROM follows f WHERE f.follower_id = $1 AND p.id = f.followee_id`);
  await q(`UPDATE profiles p SET following_count = p.following_count - 1, updated_at = now()
             FROM follows f WHERE f.followee_id = $1 AND p.id = f.follower_id`);
  await q('DELETE FROM follows WHERE follower_id = $1 OR followee_id = $1');
  await q('DELETE FROM profiles WHERE id = $1');
  await q('INSERT INTO deleted_profiles (id) VALUES ($1) ON CONFLICT DO NOTHING');
}

/** Row locks on the user and everyone they are linked to, in id order (the order follow() uses). */
async function lockGraphOf(tx: Queryable, id: string): Promise<void> {
  await tx.query(
    `SELECT id FROM profiles
      WHERE id = $1
         OR id IN (SELECT followee_id FROM follows WHERE follower_id = $1)
         OR id IN (SELECT follower_id FROM follows WHERE followee_id = $1)
      ORDER BY id FOR UPDATE`,
    [id],
  );
}
