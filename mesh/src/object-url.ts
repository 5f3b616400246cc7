/**
 * The signed-URL contract of the local object store (the stand-in for S3 in the local run, served by
 * tools/src/local/object-store.ts): media signs, the store verifies. It lives in the runtime because
 * media signs these URLs in production code (MEDIA_STORE=local); the store itself is a dev tool.
 *
 * `mac` = base64url(HMAC-SHA256(key, "<METHOD>\n<object key>\n<expires>\n<type>\n<size>")), with an
 * empty type and size for GET and HEAD.
 */
import { createHmac } from 'node:crypto';

export const OBJECT_PATH_PREFIX = '/objects/';
/** The largest object the store accepts, whatever a signature says. */
export const MAX_OBJECT_BYTES = 100 * 1024 * 1024;
/** Object keys: path segments of safe characters, no dot segments, no leading or trailing slash. */
const KEY = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

export type ObjectMethod = 'PUT' | 'GET' | 'HEAD' | 'DELETE';

export interface ObjectSignatureInput {
  readonly method: ObjectMethod;
  readonly key: string;
  /** Unix seconds after which the URL is refused. */
  readonly expires: number;
  /** PUT only: the Content-Type the upload must carry. */
  readonly contentType?: string;
  /** PUT only: the exact Content-Length of the upload. */
  readonly size?: number;
}

export function isValidObjectKey(key: string): boolean {
  return key.length <= 512 && KEY.test(key);
}

/** The signature of one request (see the header of this file). */
export function objectSignature(signingKey: string, input: ObjectSignatureInput): string {
  const type = input.method === 'PUT' ? (input.contentType ?? '') : '';
  const size = input.method === 'PUT' ? String(input.size ?? '') : '';
  return createHmac('sha256', signingKey).update(`${input.method}\n${input.key}\n${input.expires}\n${type}\n${size}`).digest('base64url');
}

/** A signed URL for `input` under `baseUrl` (which ends with the `/objects` path, e.g. http://localhost:8080/objects). */
export function signObjectUrl(baseUrl: string, signingKey: string, input: ObjectSignatureInput): string {
  if (!isValidObjectKey(input.key)) throw new Error(`invalid object key "${input.key}"`);
  const query = new URLSearchParams();
  if (input.method === 'PUT') {
    query.set('type', input.contentType ?? '');
    query.set('size', String(input.size ?? ''));
  }
  query.set('expires', String(input.expires));
  query.set('signature', objectSignature(signingKey, input));
  return `${baseUrl.replace(/\/+$/, '')}/${input.key}?${query.toString()}`;
}
