import { expect } from 'vitest';
import { sessionApi } from '../helpers/session-api.js';
import { newSession, type Session } from '../helpers/stack.js';

/**
 * A maker of signed-in users whose profile exists at users (created on its first read), for the
 * cross-service event tests: events about a person need users to know them. `base` is read per call,
 * because the stack starts in beforeAll.
 */
export function personWithProfile(base: () => string): (prefix: string) => Promise<Session> {
  const api = sessionApi(base);
  return async (prefix) => {
    const s = await newSession(base(), prefix);
    expect((await api('/api/v1/users/me', s)).status).toBe(200);
    return s;
  };
}
