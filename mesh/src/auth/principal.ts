/** Who is calling: the user behind the token (if any) and, for internal calls, the calling workload. */
export interface UserPrincipal {
  kind: 'user';
  /** User UUID (`sub`). */
  userId: string;
  /** `preferred_username`, when the token carries it. */
  username?: string;
  roles: string[];
  /** Session = refresh-token family (`sid`). */
  sessionId: string;
  tokenId: string;
  /** `iat`, seconds since the epoch: what the revocation set's overflow floor compares. */
  issuedAt: number;
  expiresAt: number;
  /**
   * `auth_time`, seconds since the epoch: when the session last signed in or re-authenticated
   * (recent-sign-in.ts); undefined for a token without it.
   */
  authTime?: number;
}

export interface WorkloadPrincipal {
  kind: 'workload';
  /** Service name of the calling workload, e.g. `posts`. */
  service: string;
  /** The mesh principal, e.g. `cluster.local/ns/agora/sa/posts`, or `local/<service>` in the local run. */
  principal: string;
}

export type Principal = UserPrincipal | WorkloadPrincipal;

/** tsoa stores what the authentication module returned on `request.user`. */
export function userOf(request: { user?: unknown }): UserPrincipal {
  const p = request.user as Principal | undefined;
  if (!p || p.kind !== 'user') throw new Error('userOf() called on an operation without @Security("jwt")');
  return p;
}

export function workloadOf(request: { user?: unknown }): WorkloadPrincipal {
  const p = request.user as Principal | undefined;
  if (!p || p.kind !== 'workload') throw new Error('workloadOf() called on an operation without @Security("mesh")');
  return p;
}
