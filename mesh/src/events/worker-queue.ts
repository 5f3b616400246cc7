import type { Queryable } from '../db/database.js';

/**
 * Read-only questions the worker's supervisor asks graphile-worker's queue, through its public
 * `graphile_worker.jobs` view (never the private tables). Nothing here returns a payload.
 */

/** Jobs of `tasks` that could run (unlocked, attempts left) and have been due for `dueForSeconds` or more. */
export async function countOverdueJobs(db: Queryable, tasks: string[], dueForSeconds: number): Promise<number> {
  const rows = await db.query<{ overdue: number }>(
    `SELECT count(*)::int AS overdue FROM graphile_worker.jobs
      WHERE task_identifier = ANY($1::text[]) AND locked_at IS NULL AND attempts < max_attempts
        AND run_at <= now() - make_interval(secs => $2)`,
    [tasks, dueForSeconds],
  );
  return rows[0]?.overdue ?? 0;
}

/** Worker ids that have held a job for `olderThanSeconds` or more. */
export async function lockersOlderThan(db: Queryable, olderThanSeconds: number): Promise<string[]> {
  const rows = await db.query<{ locked_by: string }>(
    `SELECT DISTINCT locked_by FROM graphile_worker.jobs
      WHERE locked_by IS NOT NULL AND locked_at <= now() - make_interval(secs => $1)`,
    [olderThanSeconds],
  );
  return rows.map((r) => r.locked_by);
}
