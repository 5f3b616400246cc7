import { useId, useState } from 'react';
import type { Schemas } from '../api/client';
import { messageOf } from '../api/problem';
import { ACCEPTED_TYPES, refusal, uploadImage } from '../data/media';

/** Picks one image, refuses a wrong type or size before uploading, and shows the upload's progress. */
export function ImagePicker({
  label,
  onUploaded,
  disabled,
}: {
  label: string;
  onUploaded: (media: Schemas['MediaView']) => void;
  disabled?: boolean;
}) {
  const id = useId();
  const [progress, setProgress] = useState<number | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  async function pick(file: File | undefined) {
    setProblem(undefined);
    if (!file) return;
    const reason = refusal(file);
    if (reason) {
      setProblem(reason);
      return;
    }
    setProgress(0);
    try {
      onUploaded(await uploadImage(file, setProgress));
    } catch (err) {
      setProblem(messageOf(err));
    } finally {
      setProgress(undefined);
    }
  }

  return (
    <div className="image-picker">
      <label htmlFor={id} className="button-like">
        {label}
      </label>
      <input
        id={id}
        type="file"
        className="visually-hidden-input"
        accept={ACCEPTED_TYPES.join(',')}
        disabled={disabled || progress !== undefined}
        onChange={(e) => {
          void pick(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      {progress !== undefined && (
        <progress max={1} value={progress} aria-label="Upload progress">
          {Math.round(progress * 100)} %
        </progress>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
