import type { Schemas } from '../api/client';

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/**
 * An image the post embeds, shown only through <img> and only when it is one of the allowed types.
 * Its width and height (when media knew them) reserve the space, so the page does not jump.
 */
type ShownMedia = Pick<Schemas['PostMedia'], 'contentType' | 'width' | 'height' | 'alt'> & { url: string | null };

export function PostImage({ media, fallbackAlt }: { media: ShownMedia; fallbackAlt: string }) {
  if (!media.url || !IMAGE_TYPES.includes(media.contentType)) return <div className="image-placeholder" role="img" aria-label="Image unavailable" />;
  return (
    <img
      className="post-image"
      src={media.url}
      alt={media.alt ?? fallbackAlt}
      loading="lazy"
      {...(media.width && media.height ? { width: media.width, height: media.height } : {})}
    />
  );
}
