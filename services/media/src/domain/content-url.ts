/**
 * The signed URL behind `GET /api/v1/media/{id}/content`, shaped for browser caches.
 *
 * Time is cut into windows of half the URL's life; every request in one window gets the same URL
 * (signed as of the window's start, expiring one life later), so a browser that follows the redirect
 * again finds that URL — and the image — in its cache instead of downloading it anew. A URL handed
 * out in a window has more than half its life left; the redirect itself may be cached for a quarter
 * of the life, so a cached redirect always leads to a URL with at least a quarter of its life left.
 */
export interface ContentWindow {
  /** When the URL is signed (the window's start). */
  signedAt: Date;
  /** When the signature stops working: signedAt + life. */
  expiresAt: Date;
  /** How long a browser may keep the redirect (Cache-Control max-age of the 302), in seconds. */
  redirectMaxAgeSeconds: number;
}

export function contentWindow(nowMs: number, lifeSeconds: number): ContentWindow {
  const windowMs = (lifeSeconds * 1000) / 2;
  const start = Math.floor(nowMs / windowMs) * windowMs;
  return {
    signedAt: new Date(start),
    expiresAt: new Date(start + lifeSeconds * 1000),
    redirectMaxAgeSeconds: Math.floor(lifeSeconds / 4),
  };
}

/**
 * The Cache-Control the store is asked to serve the object with: the bytes under a key never change
 * (objects are write-once, object-store.ts), so a browser may keep them as long as it likes; `private`
 * because the URL is a capability, not something a shared cache should hand to others.
 */
export function objectCacheControl(lifeSeconds: number): string {
  return `private, max-age=${lifeSeconds}, immutable`;
}
