import type { Request } from 'koa';
import type { Principal } from './principal.js';
import { TokenRejected, type TokenVerifier, type RejectReason } from './token-verifier.js';
import { LOCAL_WORKLOAD_HEADER, XFCC_HEADER, workloadFromLocalAssertion, workloadFromXfcc, type MeshIdentityMode } from './workload-identity.js';
import { ProblemError, problems } from '../http/problem.js';
import type { RevocationCheck, RevokedReason } from './revocation-set.js';

/** What the app factory puts on `app.context.security` for the tsoa authentication module. */
export interface SecurityContext {
  verifier: TokenVerifier;
  meshIdentity: MeshIdentityMode;
  meshLocalKey?: string;
  /** Revoked sessions and suspended / deleted accounts, checked after the signature (revocation-sync.ts). */
  revocations?: RevocationCheck;
  /** Called for every verification outcome, e.g. to count it by reason. */
  onOutcome?: (
    outcome: 'ok' | 'rejected',
    reason: RejectReason | RevokedReason | 'forbidden_role' | 'ok' | 'unknown_workload' | 'forbidden_workload',
  ) => void;
}

/**
 * tsoa's Koa authentication module. Security names come from the OpenAPI contract:
 *  - `jwt` with scopes = roles the caller must all have (e.g. ["admin"]);
 *  - `mesh` with scopes = the services allowed to call this internal operation.
 * 401 for a missing/invalid credential, 403 for a valid one without the right role or identity.
 * Errors carry no detail that would help an attacker tell the failure modes apart.
 */
export async function koaAuthentication(request: Request, securityName: string, scopes: string[] = []): Promise<Principal> {
  const security = (request.ctx as unknown as { security?: SecurityContext }).security;
  if (!security) throw new Error('app.context.security is not configured');
  switch (securityName) {
    case 'jwt':
      return authenticateUser(request, security, scopes);
    case 'mesh':
      return authenticateWorkload(request, security, scopes);
    default:
      throw new Error(`Unknown security scheme "${securityName}" in the contract`);
  }
}

async function authenticateUser(request: Request, security: SecurityContext, roles: string[]): Promise<Principal> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header) : null;
  if (!match) {
    security.onOutcome?.('rejected', header ? 'malformed' : 'missing');
    throw wrap(problems.unauthorized());
  }
  try {
    const principal = await security.verifier.verify(match[1]!);
    const revoked = security.revocations?.check(principal);
    if (revoked) {
      security.onOutcome?.('rejected', revoked);
      throw wrap(revokedProblem(revoked));
    }
    if (!roles.every((role) => principal.roles.includes(role))) {
      security.onOutcome?.('rejected', 'forbidden_role');
      throw wrap(problems.forbidden('This operation requires a role you do not have.'));
    }
    security.onOutcome?.('ok', 'ok');
    return principal;
  } catch (err) {
    if (err instanceof TokenRejected) {
      security.onOutcome?.('rejected', err.reason);
      if (err.reason === 'jwks_unavailable') throw wrap(problems.unavailable('Token keys are unavailable; try again shortly.'));
      throw wrap(problems.unauthorized('The bearer token is invalid or expired.'));
    }
    throw err;
  }
}

async function authenticateWorkload(request: Request, security: SecurityContext, allowed: string[]): Promise<Principal> {
  const workload =
    security.meshIdentity === 'istio'
      ? workloadFromXfcc(request.get(XFCC_HEADER) || undefined)
      : workloadFromLocalAssertion(request.get(LOCAL_WORKLOAD_HEADER) || undefined, security.meshLocalKey ?? '');
  if (!workload) {
    security.onOutcome?.('rejected', 'unknown_workload');
    throw wrap(problems.unauthorized('This operation is internal to the mesh.'));
  }
  if (!allowed.includes(workload.service)) {
    security.onOutcome?.('rejected', 'forbidden_workload');
    throw wrap(problems.forbidden('This workload may not call this operation.'));
  }
  return workload;
}

/**
 * A revoked token's answer names why — to its own holder, who knows whose token it is — and nothing
 * more; `reason` is for clients to switch on (sign in again, or say the account is suspended).
 * Exported for credentials checked outside this module against the same set (notifications' stream
 * tickets), so they get the same answer as the token would.
 */
export function revokedProblem(reason: RevokedReason): ProblemError {
  if (reason === 'revocations_unavailable') return problems.unavailable('Token checks are starting; try again shortly.');
  const [code, detail] = REVOKED_ANSWERS[reason];
  return new ProblemError(401, 'unauthorized', detail, {
    headers: { 'WWW-Authenticate': 'Bearer realm="agora", error="invalid_token"' },
    extensions: { reason: code },
  });
}

const REVOKED_ANSWERS: Record<Exclude<RevokedReason, 'revocations_unavailable'>, [string, string]> = {
  session_revoked: ['session_ended', 'This session has ended; sign in again.'],
  account_suspended: ['account_suspended', 'This account is suspended.'],
  account_deleted: ['account_deleted', 'This account has been deleted.'],
  revoked_before_overflow: ['token_too_old', 'This token is no longer accepted; refresh it or sign in again.'],
};

/**
 * tsoa's generated middleware rethrows our error through `ctx.throw(status, message, error)`, which
 * copies the error's own properties onto an http-errors object; carrying the ProblemError as a
 * property lets the error handler recover the exact problem document.
 */
function wrap(problem: ProblemError): Error & { status: number; problem: ProblemError } {
  return Object.assign(new Error(problem.message), { status: problem.status, problem });
}
