import { call, type JsonResponse } from './json-call.js';
import type { Session } from './stack.js';

/**
 * Requests through the stack's ingress as a signed-in session, for the cross-service tests: a body
 * makes it a JSON POST unless `method` says otherwise. `base` is read per call, because the stack
 * starts in beforeAll.
 */
export function sessionApi(base: () => string) {
  return (path: string, s: Session, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<JsonResponse> =>
    call(`${base()}${path}`, { method, headers: s.headers, body });
}
