import { ProblemError, problems, type ServiceClient } from '@agora/mesh';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The follow graph, owned by users and read through the mesh:
 * `GET /internal/v1/users/{id}/following-ids` → `{ ids: string[] }` (internal, callers: posts).
 * The caller's token and request/trace headers are forwarded by ServiceClient; a down or slow users
 * service becomes a fast 503 problem.
 */
export class FollowGraph {
  constructor(private readonly users: ServiceClient) {}

  async followingIds(userId: string): Promise<string[]> {
    let body: unknown;
    try {
      body = await this.users.call<unknown>(`/internal/v1/users/${encodeURIComponent(userId)}/following-ids`);
    } catch (err) {
      // No profile yet at users (it is created on first use there): the caller follows nobody.
      if (err instanceof ProblemError && err.status === 404) return [];
      throw err;
    }
    const ids = (body as { ids?: unknown } | undefined)?.ids;
    if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string' && UUID.test(id))) {
      throw problems.unavailable('The users service answered with an unexpected shape; try again shortly.');
    }
    return [...new Set(ids.map((id) => id.toLowerCase()))];
  }
}
