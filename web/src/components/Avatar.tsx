import { useMediaUrl } from '../data/people';

/** A round avatar: the uploaded image, or the initial on a colour. Decorative beside the name. */
export function Avatar({ mediaId, name, size = 40 }: { mediaId: string | null | undefined; name: string; size?: number }) {
  const media = useMediaUrl(mediaId);
  const style = { width: size, height: size };
  if (media.data?.downloadUrl) {
    return <img className="avatar" src={media.data.downloadUrl} alt="" width={size} height={size} style={style} />;
  }
  return (
    <span className="avatar avatar-initial" aria-hidden="true" style={style}>
      {(name.trim()[0] ?? '?').toUpperCase()}
    </span>
  );
}
