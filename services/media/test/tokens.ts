import { randomUUID } from 'node:crypto';
import { startTestIssuer } from '../../../test/helpers/test-issuer.js';
import { ISSUER } from './harness.js';

/**
 * media's tests' view of the one test issuer (test/helpers/test-issuer.ts): tokens shaped exactly
 * as auth signs them, for a subject (a new id by default), so media's tests do not depend on auth.
 */
export interface TestIssuer {
  jwksUrl: string;
  token(sub?: string, opts?: { expiresIn?: number }): Promise<string>;
  stop(): Promise<void>;
}

export async function startIssuer(): Promise<TestIssuer> {
  const issuer = await startTestIssuer(ISSUER);
  return {
    jwksUrl: issuer.jwksUrl,
    token: (sub = randomUUID(), opts = {}) => issuer.token({ sub, preferred_username: `u_${sub.slice(0, 8)}` }, opts),
    stop: () => issuer.stop(),
  };
}
