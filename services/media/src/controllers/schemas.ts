/**
 * Request and response shapes of the media API. tsoa turns these (with their JSDoc rules) into the
 * OpenAPI schemas and the request validation, so the contract and the checks cannot drift.
 */

/** The image types media accepts (video is not supported yet). */
export type MediaContentType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';

export type MediaStatus = 'pending' | 'uploaded';

export interface CreateUploadRequest {
  /** The Content-Type the upload will carry (signed into the upload URL). */
  contentType: MediaContentType;
  /**
   * Exact size of the upload in bytes, 1 B to 10 MiB (signed into the upload URL).
   * @isInt
   * @minimum 1
   * @maximum 10485760
   * @example 48213
   */
  sizeBytes: number;
}

export interface UploadTicket {
  /** @format uuid */
  id: string;
  /** Short-lived signed URL: PUT the bytes here, with exactly `uploadHeaders` and a Content-Length of `sizeBytes`. */
  uploadUrl: string;
  uploadMethod: 'PUT';
  /** Headers the upload must carry (part of the signature). */
  uploadHeaders: { [name: string]: string };
  /** When the upload URL stops working. */
  expiresAt: Date;
}

export interface MediaView {
  /** @format uuid */
  id: string;
  /** @format uuid */
  ownerId: string;
  contentType: string;
  sizeBytes: number;
  status: MediaStatus;
  createdAt: Date;
  /**
   * The stable, cacheable URL of the bytes, relative to the API origin (`/api/v1/media/{id}/content`,
   * usable as an `<img src>` without a token); null until the upload is completed.
   */
  url: string | null;
  /** Width in pixels as displayed (EXIF rotation applied), read from the bytes at completion; null before, and for media completed before sizes were recorded. */
  width: number | null;
  /** Height in pixels as displayed; null like `width`. */
  height: number | null;
  /** The owner's description of the image for people who cannot see it; null when not set. */
  alt: string | null;
  /** Short-lived signed URL to GET the bytes; null until the upload is completed. */
  downloadUrl: string | null;
  /** When `downloadUrl` stops working; null with it. */
  expiresAt: Date | null;
}

/** What posts and users learn about a media id (GET /internal/v1/media/{id}). */
export interface MediaReference {
  /** @format uuid */
  id: string;
  /** @format uuid */
  ownerId: string;
  status: MediaStatus;
  contentType: string;
  /** Pixel width as displayed; null while pending and for media completed before sizes were recorded. */
  width: number | null;
  /** Pixel height as displayed; null like `width`. */
  height: number | null;
  alt: string | null;
}

export interface UpdateMediaRequest {
  /**
   * The new alt text, or null (or an empty text) to remove it: plain text of at most 1000 characters
   * (UTF-16 code units), no control characters but line breaks; white space around it is dropped.
   * @maxLength 1000
   * @pattern ^[^\u0000-\u0009\u000b-\u001f\u007f]*$ must not contain control characters other than line breaks
   * @example "A heron standing in shallow water at dusk"
   */
  alt: string | null;
}
