import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ObjectStoreUnavailable, type ObjectStore, type PresignedDownload, type PresignedUpload, type StoredObject } from './object-store.js';

/**
 * S3 (or any S3-compatible store: MinIO, R2, Ceph) through the AWS SDK: presigned URLs from
 * `@aws-sdk/s3-request-presigner` (SigV4 query-string signing) and HEAD through `@aws-sdk/client-s3`.
 * An upload URL signs `content-type` and `content-length`, so S3 refuses (403
 * SignatureDoesNotMatch) a PUT with another type or size, and `If-None-Match: *` (S3 conditional
 * writes), so S3 refuses (412) a PUT to a key that already holds an object: the upload URL cannot
 * replace what completion checked.
 */
export interface S3Options {
  /** e.g. https://s3.eu-central-1.amazonaws.com or http://minio:9000; default: the region's AWS endpoint. */
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
  method: 'GET' | 'PUT';
  key: string;
  expiresIn: number;
  contentType?: string;
  contentLength?: number;
  /** GET only: the Cache-Control S3 answers with (signed in as `response-cache-control`). */
  responseCacheControl?: string;
  now: Date;
}

function client(o: Omit<S3Options, 'ttlSeconds' | 'now'>): S3Client {
  return new S3Client({
    region: o.region,
    endpoint: o.endpoint,
    forcePathStyle: o.forcePathStyle,
    credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
    maxAttempts: 2,
  });
}

/** A SigV4 presigned URL for one GET or PUT of `key`, signed as of `now`. */
export async function presignS3Url(o: Omit<S3Options, 'ttlSeconds' | 'now'>, input: PresignInput, s3: S3Client = client(o)): Promise<string> {
  const command =
    input.method === 'PUT'
      ? new PutObjectCommand({
          Bucket: o.bucket,
          Key: input.key,
          ContentType: input.contentType,
          ContentLength: input.contentLength,
          IfNoneMatch: '*',
        })
      : new GetObjectCommand({ Bucket: o.bucket, Key: input.key, ResponseCacheControl: input.responseCacheControl });
  return getSignedUrl(s3, command, {
    expiresIn: input.expiresIn,
    signingDate: input.now,
    // Bind the upload to exactly this type and size, and to a key that holds nothing yet.
    signableHeaders: input.method === 'PUT' ? new Set(['content-type', 'content-length', 'if-none-match']) : undefined,
  });
}

export class S3ObjectStore implements ObjectStore {
  private readonly now: () => number;
  private readonly s3: S3Client;

  constructor(private readonly opts: S3Options) {
    this.now = opts.now ?? (() => Date.now());
    this.s3 = client(opts);
  }

  private async sign(input: Omit<PresignInput, 'now' | 'expiresIn'>) {
    // Whole seconds: X-Amz-Date has no fraction, and expiresAt must not claim more life than S3 gives.
    const now = new Date(Math.floor(this.now() / 1000) * 1000);
    const url = await presignS3Url(this.opts, { ...input, expiresIn: this.opts.ttlSeconds, now }, this.s3);
    return { url, expiresAt: new Date(now.getTime() + this.opts.ttlSeconds * 1000) };
  }

  async presignPut(key: string, contentType: string, sizeBytes: number): Promise<PresignedUpload> {
    const { url, expiresAt } = await this.sign({ method: 'PUT', key, contentType, contentLength: sizeBytes });
    return { url, method: 'PUT', headers: { 'Content-Type': contentType, 'If-None-Match': '*' }, expiresAt };
  }

  async presignGet(key: string): Promise<PresignedDownload> {
    return this.sign({ method: 'GET', key });
  }

  async presignContent(key: string, signedAt: Date, expiresAt: Date, cacheControl: string): Promise<string> {
    const expiresIn = Math.round((expiresAt.getTime() - signedAt.getTime()) / 1000);
    return presignS3Url(this.opts, { method: 'GET', key, expiresIn, responseCacheControl: cacheControl, now: signedAt }, this.s3);
  }

  async readStart(key: string, bytes: number): Promise<Uint8Array> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key, Range: `bytes=0-${bytes - 1}` }), {
        abortSignal: AbortSignal.timeout(5_000),
      });
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      throw new ObjectStoreUnavailable(`S3 GET failed: ${err instanceof Error ? err.name : 'unknown error'}`);
    }
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.opts.bucket, Key: key }), {
        abortSignal: AbortSignal.timeout(5_000),
      });
      return { contentType: out.ContentType ?? '', sizeBytes: out.ContentLength ?? -1 };
    } catch (err) {
      if (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404) return undefined;
      // 403 for a missing key means the role lacks s3:ListBucket (README): a configuration fault.
      throw new ObjectStoreUnavailable(`S3 HEAD failed: ${err instanceof Error ? err.name : 'unknown error'}`);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      // S3 answers 204 whether or not the key existed: a repeated erasure is harmless.
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: key }), { abortSignal: AbortSignal.timeout(5_000) });
    } catch (err) {
      throw new ObjectStoreUnavailable(`S3 DELETE failed: ${err instanceof Error ? err.name : 'unknown error'}`);
    }
  }
}
