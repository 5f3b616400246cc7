import { api, type Schemas } from '../api/client';
import { ApiError, unwrap, UNREACHABLE } from '../api/problem';

/**
 * Image upload through the signed URL (Composer and Settings): checked here before any byte
 * moves, then ticket → PUT with progress → complete.
 */
type ContentType = Schemas['MediaContentType'];
export const ACCEPTED_TYPES: readonly ContentType[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];
/** The media service's limit (CreateUploadRequest.sizeBytes maximum in the contract). */
export const MAX_BYTES = 10 * 1024 * 1024;

/** Why this file cannot be uploaded, or undefined when it can. */
export function refusal(file: File): string | undefined {
  if (!(ACCEPTED_TYPES as readonly string[]).includes(file.type)) {
    return `“${file.name}” is not a JPEG, PNG, WebP or GIF image, so it can’t be uploaded.`;
  }
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > MAX_BYTES) {
    return `“${file.name}” is ${(file.size / 1024 / 1024).toFixed(1)} MB; images can be at most 10 MB.`;
  }
  return undefined;
}

function put(ticket: Schemas['UploadTicket'], file: File, onProgress: (fraction: number) => void): Promise<void> {
  // XMLHttpRequest, because fetch reports no upload progress.
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(ticket.uploadMethod, ticket.uploadUrl);
    for (const [name, value] of Object.entries(ticket.uploadHeaders)) {
      if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new ApiError(`The upload was refused (${xhr.status}).`, xhr.status));
    xhr.onerror = () => reject(new ApiError(UNREACHABLE, 0));
    xhr.send(file);
  });
}

export async function uploadImage(file: File, onProgress: (fraction: number) => void): Promise<Schemas['MediaView']> {
  const reason = refusal(file);
  if (reason) throw new ApiError(reason, 400);
  const ticket = await unwrap(api.POST('/api/v1/media/uploads', { body: { contentType: file.type as ContentType, sizeBytes: file.size } }));
  await put(ticket, file, onProgress);
  onProgress(1);
  return unwrap(api.POST('/api/v1/media/{id}/complete', { params: { path: { id: ticket.id } } }));
}
