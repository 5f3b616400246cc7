import { useMediaUrl } from '../data/people';

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/** An uploaded image, shown only through <img> and only when it is one of the allowed types. */
export function PostImage({ mediaId, alt }: { mediaId: string; alt: string }) {
  const media = useMediaUrl(mediaId);
  if (media.isPending) return <div className="image-placeholder" role="img" aria-label="Image loading" />;
  if (!media.data || !IMAGE_TYPES.includes(media.data.contentType) || media.data.status !== 'uploaded' || !media.data.downloadUrl) {
    return <div className="image-placeholder" role="img" aria-label="Image unavailable" />;
  }
  return <img className="post-image" src={media.data.downloadUrl} alt={alt} loading="lazy" />;
}
