import { NEWEST_FIRST, pageSize, problems, recordModeration, type Database, type KeysetRow, type Logger, type Page } from '@agora/mesh';
import { PROFILE_COLUMNS, type Profile } from '../models/index.js';
import type { AdminUserEntry } from '../controllers/schemas.js';
import { toProfile, UUID } from './profiles.js';
import type { AuthSuspension } from './remote.js';

/**
 * Admin operations: the user list and suspension. Suspension is decided here (users owns it) and
 * enforced at auth first — sessions revoked, sign-in blocked — so if auth cannot be reached nothing
 * changes (503) and the admin retries; then users records it and refuses the user's remaining
 * access token for its last minutes, with the audit event of the decision in the same transaction.
 */
export class Moderation {
  constructor(
    private readonly db: Database,
    private readonly auth: AuthSuspension,
    private readonly logger: Logger,
  ) {}

  /** Every profile, newest first (profiles_list_page_idx). */
  async list(limit: number | undefined, cursor: string | undefined): Promise<Page<AdminUserEntry>> {
    const size = pageSize(limit);
    const after = NEWEST_FIRST.position(cursor);
    const rows = await this.db.query<Profile & KeysetRow>(
      `SELECT ${PROFILE_COLUMNS}, ${NEWEST_FIRST.columns('p.created_at', 'p.id')} FROM profiles p
        WHERE ${NEWEST_FIRST.after('p.created_at', 'p.id', 1, 2)}
        ORDER BY ${NEWEST_FIRST.orderBy('p.created_at', 'p.id')} LIMIT $3`,
      [after.t, after.id, size + 1],
    );
    return NEWEST_FIRST.page(rows, size, (p) => ({ ...toProfile(p), suspended: Boolean(p.suspendedAt) }));
  }

  async setSuspended(id: string, suspended: boolean, adminId: string, ip: string | null): Promise<AdminUserEntry> {
    if (id === adminId && suspended) throw problems.validation('Admins cannot suspend themselves.', [{ field: 'id', message: 'is you' }]);
    const exists = UUID.test(id) ? await this.db.query('SELECT 1 FROM profiles WHERE id = $1', [id]) : [];
    if (!exists.length) throw problems.notFound('No such user.');
    await this.auth.set(id, suspended, adminId);
    // Suspending keeps the first suspension time; reinstating clears it.
    const profile = await this.db.transaction(async (tx) => {
      const [row] = await tx.query<Profile>(
        `UPDATE profiles p SET suspended_at = CASE WHEN $2 THEN COALESCE(p.suspended_at, now()) END, updated_at = now()
          WHERE p.id = $1 RETURNING ${PROFILE_COLUMNS}`,
        [id, suspended],
      );
      if (!row) throw problems.notFound('No such user.');
      await recordModeration(tx, this.logger, { action: suspended ? 'account_suspended' : 'account_reinstated', actorId: adminId, targetId: id, ip });
      return row;
    });
    return { ...toProfile(profile), suspended };
  }
}
