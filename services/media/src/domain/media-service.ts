import { randomUUID } from 'node:crypto';
import { problems, type Database } from '@agora/mesh';
import type { Logger } from 'pino';
import { ObjectStoreUnavailable, type ObjectStore } from './object-store.js';

export const ALLOWED_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export type MediaContentType = (typeof ALLOWED_CONTENT_TYPES)[number];
export const MAX_MEDIA_BYTES = 10 * 1024 * 1024;
/** What file-type needs to recognise every format it knows (its documented sample size). */
const SNIFF_BYTES = 4100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One media object as stored: its metadata here, its bytes in the object store under `objectKey`. */
export interface MediaRow {
  id: string;
  ownerId: string;
  contentType: string;
  sizeBytes: number;
  status: 'pending' | 'uploaded';
  objectKey: string;
  uploadedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const MEDIA_COLUMNS = `id, owner_id AS "ownerId", content_type AS "contentType", size_bytes AS "sizeBytes", status,
  object_key AS "objectKey", uploaded_at AS "uploadedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface IssuedUpload {
  id: string;
  uploadUrl: string;
  uploadMethod: 'PUT';
  uploadHeaders: Record<string, string>;
  expiresAt: Date;
}

export interface MediaDetails {
  id: string;
  ownerId: string;
  contentType: string;
  sizeBytes: number;
  status: 'pending' | 'uploaded';
  createdAt: Date;
  downloadUrl: string | null;
  expiresAt: Date | null;
}

export interface MediaSummary {
  id: string;
  ownerId: string;
  status: 'pending' | 'uploaded';
  contentType: string;
}

/** Media metadata and the rules around it; the bytes stay in the object store. */
export class MediaService {
  constructor(
    private readonly db: Database,
    private readonly store: ObjectStore,
    private readonly logger: Logger,
  ) {}

  async createUpload(ownerId: string, contentType: MediaContentType, sizeBytes: number): Promise<IssuedUpload> {
    // tsoa validated the body already; this guards callers other than the controller.
    if (!ALLOWED_CONTENT_TYPES.includes(contentType))
      throw problems.validation('Unsupported content type.', [{ field: 'contentType', message: `one of ${ALLOWED_CONTENT_TYPES.join(', ')}` }]);
    if (!Number.isInteger(sizeBytes) || sizeBytes < 1 || sizeBytes > MAX_MEDIA_BYTES) {
      throw problems.validation('Invalid size.', [{ field: 'sizeBytes', message: `an integer from 1 to ${MAX_MEDIA_BYTES}` }]);
    }
    const id = randomUUID();
    const objectKey = `media/${id}`;
    // Sign first: if the store's configuration is broken nothing is written.
    const upload = await this.store.presignPut(objectKey, contentType, sizeBytes);
    await this.db.execute('INSERT INTO media (id, owner_id, content_type, size_bytes, object_key) VALUES ($1, $2, $3, $4, $5)', [
      id,
      ownerId,
      contentType,
      sizeBytes,
      objectKey,
    ]);
    this.logger.info({ mediaId: id, contentType, sizeBytes }, 'upload created');
    return { id, uploadUrl: upload.url, uploadMethod: upload.method, uploadHeaders: upload.headers, expiresAt: upload.expiresAt };
  }

  /** Any signed-in user may read uploaded media (it is attached to public posts and profiles); pending media only its owner. */
  async get(id: string, callerId: string): Promise<MediaDetails> {
    const media = await this.find(id);
    if (!media || (media.status !== 'uploaded' && media.ownerId !== callerId)) throw problems.notFound('No such media.');
    return this.view(media);
  }

  /**
   * The owner says the upload finished: media asks the store what arrived (HEAD) and marks the media
   * uploaded only when an object of the declared type and size is there and its bytes are that type
   * (their signature, sniffed by file-type: a script labelled image/png is refused). The object is
   * write-once (object-store.ts), so the upload URL cannot swap it afterwards. Idempotent.
   */
  async complete(id: string, callerId: string): Promise<MediaDetails> {
    const media = await this.find(id);
    if (!media) throw problems.notFound('No such media.');
    if (media.ownerId !== callerId) throw problems.forbidden('Only the uploader can complete an upload.');
    if (media.status === 'uploaded') return this.view(media);
    let stored;
    try {
      stored = await this.store.head(media.objectKey);
    } catch (err) {
      if (err instanceof ObjectStoreUnavailable) {
        this.logger.warn({ mediaId: id, reason: err.message }, 'object store unavailable');
        throw problems.unavailable('The object store is unavailable; try again shortly.');
      }
      throw err;
    }
    if (!stored) throw problems.conflict('Nothing has been uploaded for this media yet; PUT the bytes to the upload URL first.');
    const storedType = stored.contentType.split(';')[0]!.trim().toLowerCase();
    if (stored.sizeBytes !== media.sizeBytes || storedType !== media.contentType) {
      throw problems.conflict('The stored object does not match the declared content type and size.');
    }
    const sniffed = await this.sniff(media.objectKey, id);
    if (sniffed !== media.contentType) {
      this.logger.warn({ mediaId: id, declared: media.contentType, detected: sniffed ?? 'unknown' }, 'upload refused: bytes of another type');
      throw problems.conflict(`The uploaded bytes are not ${media.contentType} (their signature says ${sniffed ?? 'an unknown type'}).`);
    }
    const count = await this.db.execute(
      `UPDATE media SET status = 'uploaded', uploaded_at = now(), updated_at = now() WHERE id = $1 AND status = 'pending'`,
      [media.id],
    );
    if (count) this.logger.info({ mediaId: id }, 'upload completed');
    return this.view((await this.find(id))!);
  }

  /** The MIME type the object's first bytes say it is (file-type), or undefined when unknown. */
  private async sniff(key: string, id: string): Promise<string | undefined> {
    let start: Uint8Array;
    try {
      start = await this.store.readStart(key, SNIFF_BYTES);
    } catch (err) {
      if (err instanceof ObjectStoreUnavailable) {
        this.logger.warn({ mediaId: id, reason: err.message }, 'object store unavailable');
        throw problems.unavailable('The object store is unavailable; try again shortly.');
      }
      throw err;
    }
    // Loaded on the first completion, not at start: the cold start loads only what every request needs.
    const { fileTypeFromBuffer } = await import('file-type');
    return (await fileTypeFromBuffer(start))?.mime;
  }

  /** For other services (posts, users): owner and state, so only the uploader attaches it. */
  async reference(id: string): Promise<MediaSummary> {
    const media = await this.find(id);
    if (!media) throw problems.notFound('No such media.');
    return { id: media.id, ownerId: media.ownerId, status: media.status, contentType: media.contentType };
  }

  private async find(id: string): Promise<MediaRow | undefined> {
    // A malformed id names no media: 404, without asking PostgreSQL to cast it.
    if (!UUID.test(id)) return undefined;
    const [row] = await this.db.query<MediaRow>(`SELECT ${MEDIA_COLUMNS} FROM media WHERE id = $1`, [id]);
    return row;
  }

  private async view(media: MediaRow): Promise<MediaDetails> {
    const download = media.status === 'uploaded' ? await this.store.presignGet(media.objectKey) : undefined;
    return {
      id: media.id,
      ownerId: media.ownerId,
      contentType: media.contentType,
      sizeBytes: media.sizeBytes,
      status: media.status,
      createdAt: media.createdAt,
      downloadUrl: download?.url ?? null,
      expiresAt: download?.expiresAt ?? null,
    };
  }
}
