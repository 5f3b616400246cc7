/**
 * Where media bytes live. The media service never touches the bytes: it hands out short-lived signed
 * URLs and, when an upload is reported complete, asks the store what arrived (HEAD) and reads its
 * first bytes to learn their real type.
 *
 * Objects are write-once: an upload URL cannot replace an object that is already there (the local
 * store refuses such a PUT with 409; S3 gets `If-None-Match: *` signed into the URL and answers 412),
 * so what completion checked is what is served until the media is deleted.
 */
export interface PresignedUpload {
  url: string;
  method: 'PUT';
  /** Headers the client must send with the upload, exactly (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface PresignedDownload {
  url: string;
  expiresAt: Date;
}

export interface StoredObject {
  contentType: string;
  sizeBytes: number;
}

export interface ObjectStore {
  /** A URL that accepts exactly one PUT of `sizeBytes` bytes of `contentType` to `key` until it expires. */
  presignPut(key: string, contentType: string, sizeBytes: number): Promise<PresignedUpload>;
  /** A URL that serves `key` until it expires. */
  presignGet(key: string): Promise<PresignedDownload>;
  /**
   * A URL that serves `key` from `signedAt` to `expiresAt`, the same for every call with the same
   * arguments (content-url.ts), whose answer carries `cacheControl` (S3: signed into the URL as
   * `response-cache-control`; the local store derives the same from the URL's expiry).
   */
  presignContent(key: string, signedAt: Date, expiresAt: Date, cacheControl: string): Promise<string>;
  /** What is stored under `key`, or undefined when nothing is. Throws when the store cannot be asked. */
  head(key: string): Promise<StoredObject | undefined>;
  /** The first `bytes` bytes of `key` (fewer when the object is shorter). Throws when the store cannot be asked. */
  readStart(key: string, bytes: number): Promise<Uint8Array>;
  /** Removes what is stored under `key` (nothing to remove is success). Throws when the store cannot be asked. */
  delete(key: string): Promise<void>;
}

/** The store could not answer (network, credentials, 5xx): the caller answers 503, nothing changes. */
export class ObjectStoreUnavailable extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'ObjectStoreUnavailable';
  }
}
