import { randomUUID } from 'node:crypto';
import type { components } from '../../../test/helpers/generated/media.js';
import { serviceClient } from '../../../test/helpers/service-client.js';
import type { RunningMedia } from './harness.js';
import type { TestIssuer } from './tokens.js';

/** A user of the stand-in issuer: id and Authorization header. */
export async function testUser(issuer: TestIssuer) {
  const id = randomUUID();
  return { id, auth: { authorization: `Bearer ${await issuer.token(id)}` } };
}
export type TestUser = Awaited<ReturnType<typeof testUser>>;

/**
 * Ticket → PUT of `bytes` to the signed URL → completion, through media's typed client; returns the
 * completion's answer (status, headers, and the media object or the problem as body).
 */
export async function upload(media: RunningMedia, user: TestUser, contentType: components['schemas']['MediaContentType'], bytes: Buffer) {
  const api = serviceClient('media', media.base, user.auth);
  const ticket = await api.POST('/api/v1/media/uploads', { body: { contentType, sizeBytes: bytes.length } });
  if (!ticket.data) throw new Error(`ticket: ${ticket.response.status} ${JSON.stringify(ticket.error)}`);
  const put = await fetch(ticket.data.uploadUrl, { method: 'PUT', headers: ticket.data.uploadHeaders, body: new Uint8Array(bytes) });
  if (put.status !== 200) throw new Error(`PUT: ${put.status}`);
  const completed = await api.POST('/api/v1/media/{id}/complete', { params: { path: { id: ticket.data.id } } });
  const done = { status: completed.response.status, headers: completed.response.headers, body: completed.data ?? completed.error };
  return { id: ticket.data.id, done };
}
