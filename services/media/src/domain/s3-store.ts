import { createHash, createHmac } from 'node:crypto';
import { ObjectStoreUnavailable, type ObjectStore, type PresignedDownload, type PresignedUpload, type StoredObject } from './object-store.js';

/**
 * S3 (or any S3-compatible store: MinIO, R2, Ceph) through AWS Signature Version 4 query-string
 * presigning, the same URLs `@aws-sdk/s3-request-presigner` produces: `X-Amz-Algorithm`,
 * `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`, with an
 * unsigned payload. An upload URL signs `content-type` and `content-length`, so S3 refuses (403
 * SignatureDoesNotMatch) a PUT with another type or size. Written against the SigV4 specification
 * and checked against AWS's published example (test/s3-presign.test.ts) because the AWS SDK packages
 * are not installed in this workspace; swapping this class for one built on the SDK changes nothing
 * else.
 */
export interface S3Options {
  /** e.g. https://s3.eu-central-1.amazonaws.com or http://minio:9000; default https://s3.<region>.amazonaws.com */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO and most S3-compatibles). */
  forcePathStyle: boolean;
  ttlSeconds: number;
  now?: () => number;
}

export interface PresignInput {
  method: 'GET' | 'PUT' | 'HEAD';
  key: string;
  expiresIn: number;
  /** Headers the request must carry (signed, so the store enforces them). */
  headers?: Record<string, string>;
  now: Date;
}

/** RFC 3986 percent-encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/** A SigV4 presigned URL (AWS "Authenticating Requests: Using Query Parameters"). */
export function presignS3Url(o: Omit<S3Options, 'ttlSeconds' | 'now'>, input: PresignInput): string {
  const base = new URL(o.endpoint ?? `https://s3.${o.region}.amazonaws.com`);
  const encodedKey = input.key.split('/').map(rfc3986).join('/');
  const basePath = base.pathname.replace(/\/+$/, '');
  const host = o.forcePathStyle ? base.host : `${o.bucket}.${base.host}`;
  const path = o.forcePathStyle ? `${basePath}/${rfc3986(o.bucket)}/${encodedKey}` : `${basePath}/${encodedKey}`;

  const amzDate = input.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${o.region}/s3/aws4_request`;
  const headers: Record<string, string> = { host };
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = String(value).trim();
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');

  const query: [string, string][] = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${o.accessKeyId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(input.expiresIn)],
    ['X-Amz-SignedHeaders', signedHeaders],
  ];
  const canonicalQuery = query
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    input.method,
    path,
    canonicalQuery,
    names.map((n) => `${n}:${headers[n]}\n`).join(''),
    signedHeaders,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${o.secretAccessKey}`, day), o.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `${base.protocol}//${host}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

export class S3ObjectStore implements ObjectStore {
  private readonly now: () => number;

  constructor(private readonly opts: S3Options) {
    this.now = opts.now ?? (() => Date.now());
  }

  private sign(method: PresignInput['method'], key: string, expiresIn: number, headers?: Record<string, string>) {
    // Whole seconds: X-Amz-Date has no fraction, and expiresAt must not claim more life than S3 gives.
    const now = new Date(Math.floor(this.now() / 1000) * 1000);
    return { url: presignS3Url(this.opts, { method, key, expiresIn, headers, now }), expiresAt: new Date(now.getTime() + expiresIn * 1000) };
  }

  async presignPut(key: string, contentType: string, sizeBytes: number): Promise<PresignedUpload> {
    const { url, expiresAt } = this.sign('PUT', key, this.opts.ttlSeconds, { 'content-type': contentType, 'content-length': String(sizeBytes) });
    return { url, method: 'PUT', headers: { 'Content-Type': contentType }, expiresAt };
  }

  async presignGet(key: string): Promise<PresignedDownload> {
    return this.sign('GET', key, this.opts.ttlSeconds);
  }

  async head(key: string): Promise<StoredObject | undefined> {
    const { url } = this.sign('HEAD', key, 60);
    let res: Response;
    try {
      res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    } catch (err) {
      throw new ObjectStoreUnavailable(`S3 unreachable: ${(err as Error).message}`);
    }
    if (res.status === 404) return undefined;
    // 403 for a missing key means the role lacks s3:ListBucket (README): a configuration fault.
    if (!res.ok) throw new ObjectStoreUnavailable(`S3 answered HEAD with ${res.status}`);
    return { contentType: res.headers.get('content-type') ?? '', sizeBytes: Number(res.headers.get('content-length') ?? -1) };
  }
}
