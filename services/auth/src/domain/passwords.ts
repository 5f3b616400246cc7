import { Algorithm } from '@node-rs/argon2';
import { problems } from '@agora/mesh';

/**
 * The argon2 native addon, loaded at the first hash or verify rather than at start: auth's start
 * needs no password work, and the first hash (far costlier than the load itself) absorbs it. (Only
 * the const enum `Algorithm` is imported statically; tsc inlines it, so that import is not emitted.)
 */
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const loadArgon2 = () => (argon2 ??= import('@node-rs/argon2'));

/**
 * argon2id with OWASP's minimum recommended parameters (m=19 MiB, t=2, p=1). The cost is measured
 * and printed by `npm run bench` next to these figures.
 */
export const ARGON2_PARAMS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export async function hashPassword(password: string): Promise<string> {
  const { hash } = await loadArgon2();
  return hash(password, ARGON2_PARAMS);
}

// Verified against when the account does not exist, so "no such user" costs the same time as
// "wrong password" and the response time does not reveal which usernames exist.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  const { verify } = await loadArgon2();
  if (!passwordHash) {
    dummyHash ??= hashPassword('not-a-real-password-just-equal-timing');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

/**
 * The rule the schema cannot express (its length is in the contract): a password must not contain
 * the username. Every place that sets a password checks it (sign-up, change, reset).
 */
export function assertPasswordAllowed(username: string, password: string, field = 'password'): void {
  if (password.toLowerCase().includes(username.toLowerCase())) {
    throw problems.validation('The password must not contain the username.', [{ field, message: 'must not contain the username' }]);
  }
}
