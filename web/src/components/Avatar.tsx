/** The stable, cacheable URL of a media object (media's `GET /api/v1/media/{id}/content`). */
export function mediaContentUrl(mediaId: string | null | undefined): string | null {
  return mediaId ? `/api/v1/media/${mediaId}/content` : null;
}

/**
 * A round avatar: the uploaded image (its stable URL, so the browser caches it), or the initial on
 * a colour. Decorative beside the name.
 */
export function Avatar({ src, name, size = 40 }: { src: string | null | undefined; name: string; size?: number }) {
  const style = { width: size, height: size };
  if (src) return <img className="avatar" src={src} alt="" width={size} height={size} style={style} />;
  return (
    <span className="avatar avatar-initial" aria-hidden="true" style={style}>
      {(name.trim()[0] ?? '?').toUpperCase()}
    </span>
  );
}
