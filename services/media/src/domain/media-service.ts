import { randomUUID } from 'node:crypto';
import { problems, type Database, type Queryable } from '@agora/mesh';
import type { Logger } from 'pino';
import { contentWindow, objectCacheControl } from './content-url.js';
import { FIRST_READ_BYTES, sniffType, storedPixelSize } from './image-facts.js';
import type { MediaReference, MediaView, UploadTicket } from '../controllers/schemas.js';
import type { MediaEvents } from './media-events.js';
import { ObjectStoreUnavailable, type ObjectStore } from './object-store.js';

export const ALLOWED_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export type MediaContentType = (typeof ALLOWED_CONTENT_TYPES)[number];
export const MAX_MEDIA_BYTES = 10 * 1024 * 1024;
/** The longest alt text, in UTF-16 code units (the contract's maxLength; the column's CHECK agrees). */
export const MAX_ALT_LENGTH = 1000;
/** Control characters other than the line feed: alt text is plain text a screen reader speaks. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f]/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One media object as stored: its metadata here, its bytes in the object store under `objectKey`. */
export interface MediaRow {
  id: string;
  ownerId: string;
  contentType: string;
  sizeBytes: number;
  status: 'pending' | 'uploaded';
  objectKey: string;
  width: number | null;
  height: number | null;
  alt: string | null;
  eventSeq: number;
  uploadedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const MEDIA_COLUMNS = `id, owner_id AS "ownerId", content_type AS "contentType", size_bytes AS "sizeBytes", status,
  object_key AS "objectKey", width, height, alt, event_seq::int AS "eventSeq", uploaded_at AS "uploadedAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Where the stable, cacheable URL of a media object points, and for how long a browser may keep the redirect. */
export interface ContentRedirect {
  location: string;
  maxAgeSeconds: number;
}

/** The stable URL of a media object's bytes (the agreed shape: relative to the API origin). */
export const contentPath = (id: string) => `/api/v1/media/${id}/content`;

export interface MediaServiceOptions {
  /** Life of the signed URL behind /content (MEDIA_CONTENT_URL_TTL_SECONDS). */
  contentUrlTtlSeconds: number;
  now?: () => number;
}

/** Media metadata and the rules around it; the bytes stay in the object store. */
export class MediaService {
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    private readonly store: ObjectStore,
    private readonly events: MediaEvents,
    private readonly logger: Logger,
    private readonly options: MediaServiceOptions,
  ) {
    this.now = options.now ?? (() => Date.now());
  }

  async createUpload(ownerId: string, contentType: MediaContentType, sizeBytes: number): Promise<UploadTicket> {
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
  async get(id: string, callerId: string): Promise<MediaView> {
    const media = await this.find(this.db, id);
    if (!media || (media.status !== 'uploaded' && media.ownerId !== callerId)) throw problems.notFound('No such media.');
    return this.view(media);
  }

  /**
   * The stable URL's answer: where the bytes are now (a signed URL shared by every request of the
   * same window, content-url.ts). Anyone may follow it — an `<img src>` sends no token — but only for
   * uploaded media; pending, deleted and unknown ids are all 404, so nothing about them shows.
   */
  async content(id: string): Promise<ContentRedirect> {
    const media = await this.find(this.db, id);
    if (!media || media.status !== 'uploaded') throw problems.notFound('No such media.');
    const life = this.options.contentUrlTtlSeconds;
    const window = contentWindow(this.now(), life);
    const location = await this.store.presignContent(media.objectKey, window.signedAt, window.expiresAt, objectCacheControl(life));
    return { location, maxAgeSeconds: window.redirectMaxAgeSeconds };
  }

  /**
   * The owner says the upload finished: media asks the store what arrived (HEAD) and marks the media
   * uploaded only when an object of the declared type and size is there, its bytes are that type
   * (their signature, sniffed by file-type: a script labelled image/png is refused), and their
   * header says a pixel size (image-size). The object is write-once (object-store.ts), so the upload
   * URL cannot swap it afterwards. `media.updated` is published with the change. Idempotent.
   */
  async complete(id: string, callerId: string): Promise<MediaView> {
    const media = await this.find(this.db, id);
    if (!media) throw problems.notFound('No such media.');
    if (media.ownerId !== callerId) throw problems.forbidden('Only the uploader can complete an upload.');
    if (media.status === 'uploaded') return this.view(media);
    const stored = await this.fromStore(id, () => this.store.head(media.objectKey));
    if (!stored) throw problems.conflict('Nothing has been uploaded for this media yet; PUT the bytes to the upload URL first.');
    const storedType = stored.contentType.split(';')[0]!.trim().toLowerCase();
    if (stored.sizeBytes !== media.sizeBytes || storedType !== media.contentType) {
      throw problems.conflict('The stored object does not match the declared content type and size.');
    }
    const start = await this.fromStore(id, () => this.store.readStart(media.objectKey, Math.min(FIRST_READ_BYTES, media.sizeBytes)));
    const sniffed = await sniffType(start);
    if (sniffed !== media.contentType) {
      this.logger.warn({ mediaId: id, declared: media.contentType, detected: sniffed ?? 'unknown' }, 'upload refused: bytes of another type');
      throw problems.conflict(`The uploaded bytes are not ${media.contentType} (their signature says ${sniffed ?? 'an unknown type'}).`);
    }
    const size = await storedPixelSize(start, media.contentType, media.sizeBytes, () =>
      this.fromStore(id, () => this.store.readStart(media.objectKey, media.sizeBytes)),
    );
    if (!size) {
      this.logger.warn({ mediaId: id, declared: media.contentType }, 'upload refused: no readable pixel size');
      throw problems.conflict(`The uploaded bytes are not a readable ${media.contentType} image (no valid width and height).`);
    }
    const { width, height } = size;
    await this.db.transaction(async (tx) => {
      const count = await tx.execute(
        `UPDATE media SET status = 'uploaded', uploaded_at = now(), updated_at = now(), width = $2, height = $3
         WHERE id = $1 AND status = 'pending'`,
        [media.id, width, height],
      );
      if (!count) return; // completed (or deleted) concurrently: that change published its own event
      await this.events.updated(tx, media.id);
      this.logger.info({ mediaId: id, width, height }, 'upload completed');
    });
    const done = await this.find(this.db, id);
    if (!done) throw problems.notFound('No such media.');
    return this.view(done);
  }

  /**
   * Sets (or, with null or an empty text, removes) the alt text; the owner only. Plain text: at most
   * MAX_ALT_LENGTH, no control characters but line feeds, surrounding white space dropped. An
   * uploaded object's change is published as `media.updated`; an unchanged text publishes nothing.
   */
  async setAlt(id: string, callerId: string, alt: string | null): Promise<MediaView> {
    const text = alt?.trim() || null;
    if (text !== null && CONTROL_CHARACTERS.test(text)) {
      throw problems.validation('The alt text must be plain text.', [
        { field: 'alt', message: 'must not contain control characters other than line breaks' },
      ]);
    }
    if (text !== null && text.length > MAX_ALT_LENGTH) {
      throw problems.validation('The alt text is too long.', [{ field: 'alt', message: `must be at most ${MAX_ALT_LENGTH} characters` }]);
    }
    const updated = await this.db.transaction(async (tx) => {
      const media = await this.find(tx, id, 'FOR UPDATE');
      if (!media) throw problems.notFound('No such media.');
      if (media.ownerId !== callerId) throw problems.forbidden('Only the uploader can change the alt text.');
      if (media.alt === text) return media;
      await tx.execute('UPDATE media SET alt = $2, updated_at = now() WHERE id = $1', [id, text]);
      await this.events.updated(tx, id);
      return (await this.find(tx, id))!;
    });
    return this.view(updated);
  }

  /**
   * The owner deletes a media object: the bytes are removed from the store and the row deleted in
   * one transaction, with `media.deleted` for an uploaded object (posts then drops it from posts).
   * If the store cannot be reached, nothing changes (503). If the commit fails after the store
   * removed the bytes, the row stays and a retry finishes the job (a missing key is success).
   */
  async remove(id: string, callerId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const media = await this.find(tx, id, 'FOR UPDATE');
      if (!media) throw problems.notFound('No such media.');
      if (media.ownerId !== callerId) throw problems.forbidden('Only the uploader can delete a media object.');
      await this.fromStore(id, () => this.store.delete(media.objectKey));
      await tx.execute('DELETE FROM media WHERE id = $1', [id]);
      if (media.status === 'uploaded') await this.events.deleted(tx, media);
    });
    this.logger.info({ mediaId: id }, 'media deleted');
  }

  /** For other services (posts, users): owner, state and what posts embeds, so only the uploader attaches it. */
  async reference(id: string): Promise<MediaReference> {
    const media = await this.find(this.db, id);
    if (!media) throw problems.notFound('No such media.');
    const { ownerId, status, contentType, width, height, alt } = media;
    return { id: media.id, ownerId, status, contentType, width, height, alt };
  }

  /** A store call whose failure is a 503 for the caller, nothing changed. */
  private async fromStore<T>(id: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof ObjectStoreUnavailable) {
        this.logger.warn({ mediaId: id, reason: err.message }, 'object store unavailable');
        throw problems.unavailable('The object store is unavailable; try again shortly.');
      }
      throw err;
    }
  }

  private async find(db: Queryable, id: string, lock: '' | 'FOR UPDATE' = ''): Promise<MediaRow | undefined> {
    // The contract refuses a malformed id (400) before a handler runs; this guards other callers.
    if (!UUID.test(id)) return undefined;
    const [row] = await db.query<MediaRow>(`SELECT ${MEDIA_COLUMNS} FROM media WHERE id = $1 ${lock}`, [id]);
    return row;
  }

  private async view(media: MediaRow): Promise<MediaView> {
    const download = media.status === 'uploaded' ? await this.store.presignGet(media.objectKey) : undefined;
    return {
      id: media.id,
      ownerId: media.ownerId,
      contentType: media.contentType,
      sizeBytes: media.sizeBytes,
      status: media.status,
      createdAt: media.createdAt,
      url: media.status === 'uploaded' ? contentPath(media.id) : null,
      width: media.width,
      height: media.height,
      alt: media.alt,
      downloadUrl: download?.url ?? null,
      expiresAt: download?.expiresAt ?? null,
    };
  }
}
