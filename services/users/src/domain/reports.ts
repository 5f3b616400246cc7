import { OLDEST_FIRST, pageSize, problems, recordModeration, type Database, type KeysetRow, type Logger, type Page } from '@agora/mesh';
import type { NewReport, Report, ReportResolution } from '../controllers/schemas.js';
import type { ContentEvents } from './content-events.js';
import type { Moderation } from './moderation.js';
import type { PostsContent } from './remote.js';

const REPORT_COLUMNS = `r.id, r.reporter_id AS "reporterId", r.target_kind AS "targetKind", r.target_id AS "targetId", r.reason, r.note,
  COALESCE(r.resolution, 'open') AS status, r.created_at AS "createdAt", r.resolved_at AS "resolvedAt", r.resolved_by AS "resolvedBy"`;

const OUTCOME = { dismiss: 'dismissed', suspend: 'suspended', remove_content: 'content_removed' } as const satisfies Record<
  ReportResolution['action'],
  Exclude<Report['status'], 'open'>
>;

/**
 * Reports and the admin queue. A user report needs an existing profile (404) that is not the
 * reporter's (400); a post or comment report needs the content to exist at posts (404; posts
 * unreachable: 503, nothing stored). One open report per reporter and target (409). Each
 * resolution is an audit event; `suspend` goes through the same suspension path as the admin
 * operation (auth first); `remove_content` publishes `content.removed` on the resolving
 * transaction, and posts deletes the content and audits it there (docs/events.md).
 */
export class Reports {
  constructor(
    private readonly db: Database,
    private readonly moderation: Moderation,
    private readonly posts: PostsContent,
    private readonly contentEvents: ContentEvents,
    private readonly logger: Logger,
  ) {}

  async create(me: string, input: NewReport): Promise<Report> {
    const targetId = input.targetId.toLowerCase();
    if (input.targetKind === 'user') {
      if (targetId === me) throw problems.validation('You cannot report yourself.', [{ field: 'targetId', message: 'must not be your own id' }]);
      const found = await this.db.query('SELECT 1 FROM profiles WHERE id = $1', [targetId]);
      if (!found.length) throw problems.notFound('No such user.');
    }
    // The content's author, kept for the resolution's audit event (whom it is about).
    const authorId = input.targetKind === 'user' ? targetId : (await this.posts.find(input.targetKind, targetId)).authorId.toLowerCase();
    const [row] = await this.db.query<Report>(
      `INSERT INTO reports AS r (reporter_id, target_kind, target_id, target_user_id, reason, note) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (reporter_id, target_kind, target_id) WHERE resolved_at IS NULL DO NOTHING
       RETURNING ${REPORT_COLUMNS}`,
      [me, input.targetKind, targetId, authorId, input.reason, input.note ?? null],
    );
    if (!row) throw problems.conflict('You already have an open report about this; an admin will look at it.');
    return row;
  }

  /** Open reports, oldest first. */
  async queue(limit: number | undefined, cursor: string | undefined): Promise<Page<Report>> {
    const size = pageSize(limit);
    const after = OLDEST_FIRST.position(cursor);
    const rows = await this.db.query<Report & KeysetRow>(
      `SELECT ${REPORT_COLUMNS}, ${OLDEST_FIRST.columns('r.created_at', 'r.id')} FROM reports r
        WHERE r.resolved_at IS NULL AND ${OLDEST_FIRST.after('r.created_at', 'r.id', 1, 2)}
        ORDER BY ${OLDEST_FIRST.orderBy('r.created_at', 'r.id')} LIMIT $3`,
      [after.t, after.id, size + 1],
    );
    return OLDEST_FIRST.page(rows, size, ({ cursorAt: _t, cursorId: _i, ...report }) => report);
  }

  async resolve(id: string, resolution: ReportResolution, adminId: string, ip: string | null): Promise<Report> {
    const [open] = await this.db.query<Report & { targetUserId: string | null }>(
      `SELECT ${REPORT_COLUMNS}, r.target_user_id AS "targetUserId" FROM reports r WHERE r.id = $1`,
      [id],
    );
    if (!open) throw problems.notFound('No such report.');
    if (open.status !== 'open') throw problems.conflict(`This report was already resolved (${open.status}).`);
    if (resolution.action === 'suspend') {
      if (open.targetKind !== 'user')
        throw problems.validation('Only a report about a user can suspend; open the content and suspend its author.', [
          { field: 'action', message: 'suspend needs a user report' },
        ]);
      await this.moderation.setSuspended(open.targetId, true, adminId, ip);
    }
    if (resolution.action === 'remove_content' && open.targetKind === 'user')
      throw problems.validation('Only a report about a post or comment can remove content; suspend a user instead.', [
        { field: 'action', message: 'remove_content needs a post or comment report' },
      ]);
    const outcome = OUTCOME[resolution.action];
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<Report>(
        `UPDATE reports r SET resolution = $2, resolved_at = now(), resolved_by = $3 WHERE r.id = $1 AND r.resolved_at IS NULL
         RETURNING ${REPORT_COLUMNS}`,
        [id, outcome, adminId],
      );
      if (!row) throw problems.conflict('This report was resolved by someone else just now.');
      if (resolution.action === 'remove_content' && open.targetKind !== 'user')
        await this.contentEvents.removed(tx, open.targetKind, open.targetId, adminId, id);
      await recordModeration(tx, this.logger, {
        action: 'report_resolved',
        actorId: adminId,
        // The reported user, or the reported content's author (null for reports filed before it was kept).
        targetId: open.targetKind === 'user' ? open.targetId : open.targetUserId,
        ip,
        details: { reportId: id, resolution: outcome, targetKind: open.targetKind, reportedId: open.targetId },
      });
      return row;
    });
  }
}
