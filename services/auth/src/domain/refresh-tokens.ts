import { createHash, randomBytes } from 'node:crypto';

/** Opaque, 256-bit random refresh tokens; only their SHA-256 is stored (they are high-entropy, so a fast hash is enough). */
export function newRefreshToken(): { token: string; hash: string } {
  const token = `rt_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
