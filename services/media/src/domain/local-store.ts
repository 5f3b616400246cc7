import { signObjectUrl } from '@agora/mesh/object-url';
import { ObjectStoreUnavailable, type ObjectStore, type PresignedDownload, type PresignedUpload, type StoredObject } from './object-store.js';

export interface LocalStoreOptions {
  /** Base URL browsers use, through the ingress (http://localhost:8080/objects). */
  publicUrl: string;
  /** Base URL media uses for HEAD (http://127.0.0.1:4010/objects); default publicUrl. */
  internalUrl?: string;
  signingKey: string;
  ttlSeconds: number;
  now?: () => number;
}

/** The local object store of `npm start` (tools/src/local/object-store.ts): same contract as S3 presigned URLs. */
export class LocalObjectStore implements ObjectStore {
  private readonly now: () => number;

  constructor(private readonly opts: LocalStoreOptions) {
    this.now = opts.now ?? (() => Date.now());
  }

  private expiry(ttl = this.opts.ttlSeconds): { expires: number; expiresAt: Date } {
    const expires = Math.floor(this.now() / 1000) + ttl;
    return { expires, expiresAt: new Date(expires * 1000) };
  }

  async presignPut(key: string, contentType: string, sizeBytes: number): Promise<PresignedUpload> {
    const { expires, expiresAt } = this.expiry();
    const url = signObjectUrl(this.opts.publicUrl, this.opts.signingKey, { method: 'PUT', key, expires, contentType, size: sizeBytes });
    return { url, method: 'PUT', headers: { 'Content-Type': contentType }, expiresAt };
  }

  async presignGet(key: string): Promise<PresignedDownload> {
    const { expires, expiresAt } = this.expiry();
    return { url: signObjectUrl(this.opts.publicUrl, this.opts.signingKey, { method: 'GET', key, expires }), expiresAt };
  }

  /**
   * The store serves a GET with `Cache-Control: private, max-age=<the signature's remaining life>,
   * immutable` (tools/src/local/object-store.ts): the policy is implied by the URL, so `cacheControl`
   * needs no place in it.
   */
  async presignContent(key: string, _signedAt: Date, expiresAt: Date, _cacheControl: string): Promise<string> {
    return signObjectUrl(this.opts.publicUrl, this.opts.signingKey, { method: 'GET', key, expires: Math.floor(expiresAt.getTime() / 1000) });
  }

  async readStart(key: string, bytes: number): Promise<Uint8Array> {
    const { expires } = this.expiry(60);
    const url = signObjectUrl(this.opts.internalUrl ?? this.opts.publicUrl, this.opts.signingKey, { method: 'GET', key, expires });
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok || !res.body) throw new ObjectStoreUnavailable(`local object store answered GET with ${res.status}`);
      // The store has no ranges: read what is needed and drop the rest of the stream.
      const reader = res.body.getReader();
      const chunks: Uint8Array[] = [];
      let length = 0;
      while (length < bytes) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        length += value.length;
      }
      await reader.cancel();
      return Buffer.concat(chunks).subarray(0, bytes);
    } catch (err) {
      if (err instanceof ObjectStoreUnavailable) throw err;
      throw new ObjectStoreUnavailable(`local object store unreachable: ${(err as Error).message}`);
    }
  }

  async head(key: string): Promise<StoredObject | undefined> {
    const { expires } = this.expiry(60);
    const url = signObjectUrl(this.opts.internalUrl ?? this.opts.publicUrl, this.opts.signingKey, { method: 'HEAD', key, expires });
    let res: Response;
    try {
      res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    } catch (err) {
      throw new ObjectStoreUnavailable(`local object store unreachable: ${(err as Error).message}`);
    }
    if (res.status === 404) return undefined;
    if (!res.ok) throw new ObjectStoreUnavailable(`local object store answered HEAD with ${res.status}`);
    return { contentType: res.headers.get('content-type') ?? '', sizeBytes: Number(res.headers.get('content-length') ?? -1) };
  }

  async delete(key: string): Promise<void> {
    const { expires } = this.expiry(60);
    const url = signObjectUrl(this.opts.internalUrl ?? this.opts.publicUrl, this.opts.signingKey, { method: 'DELETE', key, expires });
    let res: Response;
    try {
      res = await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(5_000) });
    } catch (err) {
      throw new ObjectStoreUnavailable(`local object store unreachable: ${(err as Error).message}`);
    }
    if (res.status !== 204 && res.status !== 404) throw new ObjectStoreUnavailable(`local object store answered DELETE with ${res.status}`);
  }
}
