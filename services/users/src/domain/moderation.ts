import { QueryTypes, type Sequelize } from 'sequelize';
import { decodeCursor, pageSize, problems, toPage, type Page } from '@agora/mesh';
import type { UsersModels } from '../models/index.js';
import type { AdminUserEntry } from '../controllers/schemas.js';
import { toProfile, UUID } from './profiles.js';
import type { AuthSuspension } from './remote.js';

interface ProfileRow {
  id: string;
  created_at: Date;
}

/**
 * Admin operations: the user list and suspension. Suspension is decided here (users owns it) and
 * enforced at auth first — sessions revoked, sign-in blocked — so if auth cannot be reached nothing
 * changes (503) and the admin retries; then users records it and refuses the user's remaining
 * access token for its last minutes.
 */
export class Moderation {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: UsersModels,
    private readonly auth: AuthSuspension,
  ) {}

  async list(limit: number | undefined, cursor: string | undefined): Promise<Page<AdminUserEntry>> {
    const size = pageSize(limit);
    const after = decodeCursor(cursor, ['createdAt', 'id'] as const);
    const rows = await this.sequelize.query<ProfileRow>(
      `SELECT id, created_at FROM profiles
        WHERE (CAST(:createdAt AS timestamptz) IS NULL OR (created_at, id) < (CAST(:createdAt AS timestamptz), CAST(:id AS uuid)))
        ORDER BY created_at DESC, id DESC LIMIT :limit`,
      { replacements: { createdAt: after?.createdAt ?? null, id: after?.id ?? null, limit: size + 1 }, type: QueryTypes.SELECT },
    );
    const profiles = await this.models.Profile.findAll({ where: { id: rows.map((r) => r.id) } });
    const byId = new Map(profiles.map((p) => [p.id, p]));
    return toPage(
      rows,
      size,
      (r) => {
        const p = byId.get(r.id)!;
        return { ...toProfile(p), suspended: Boolean(p.suspendedAt) };
      },
      (r) => ({ createdAt: r.created_at.toISOString(), id: r.id }),
    );
  }

  async setSuspended(id: string, suspended: boolean, adminId: string): Promise<AdminUserEntry> {
    if (id === adminId && suspended) throw problems.validation('Admins cannot suspend themselves.', [{ field: 'id', message: 'is you' }]);
    const profile = UUID.test(id) ? await this.models.Profile.findByPk(id) : null;
    if (!profile) throw problems.notFound('No such user.');
    await this.auth.set(id, suspended, adminId);
    await profile.update({ suspendedAt: suspended ? (profile.suspendedAt ?? new Date()) : null });
    return { ...toProfile(profile), suspended };
  }
}
