import { createHash, randomBytes, randomInt } from 'node:crypto';

/** An opaque, high-entropy token (MFA challenges) and its stored hash. */
export function newOpaqueToken(prefix: string): { token: string; hash: string } {
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: sha256(token) };
}

/** A 6-digit sign-in code; hashed with the user id so equal codes of two users hash differently. */
export function newNumericCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function hashCode(userId: string, code: string): string {
  return sha256(`${userId}:${code}`);
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
