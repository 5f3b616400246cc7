import { useState } from 'react';
import type { Schemas } from '../api/client';
import { useCreatePost } from '../data/feed';
import { ImagePicker } from './ImagePicker';
import { PostImage } from './PostImage';
import { FailureText } from './Status';

const MAX_TEXT = 500;
const MAX_IMAGES = 4;

/** Writes a post with up to four images. */
export function Composer() {
  const [text, setText] = useState('');
  const [media, setMedia] = useState<Schemas['MediaView'][]>([]);
  const create = useCreatePost();
  const blank = text.trim().length === 0;

  return (
    <form
      className="composer"
      aria-label="New post"
      onSubmit={(e) => {
        e.preventDefault();
        if (blank) return;
        create.mutate(
          { text, mediaIds: media.map((m) => m.id) },
          {
            onSuccess: () => {
              setText('');
              setMedia([]);
            },
          },
        );
      }}
    >
      <label htmlFor="composer-text">What’s happening?</label>
      <textarea id="composer-text" value={text} maxLength={MAX_TEXT} rows={3} onChange={(e) => setText(e.target.value)} />
      <div className="composer-row">
        <span className="muted" aria-live="polite">
          {MAX_TEXT - text.length} characters left
        </span>
        {media.length < MAX_IMAGES && (
          <ImagePicker label="Add image" onUploaded={(m) => setMedia((list) => [...list, m])} disabled={create.isPending} />
        )}
        <button type="submit" disabled={blank || create.isPending}>
          {create.isPending ? 'Posting…' : 'Post'}
        </button>
      </div>
      {media.length > 0 && (
        <ul className="composer-images" aria-label="Images to post">
          {media.map((m, i) => (
            <li key={m.id}>
              <PostImage media={m} fallbackAlt={`Image ${i + 1} to post`} />
              <button type="button" onClick={() => setMedia((list) => list.filter((x) => x.id !== m.id))}>
                Remove image {i + 1}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FailureText error={create.error} />
    </form>
  );
}
