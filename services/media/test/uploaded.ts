import { randomUUID } from 'node:crypto';
import { request, type RunningMedia } from './harness.js';
import type { TestIssuer } from './tokens.js';

/** A user of the stand-in issuer: id and Authorization header. */
export async function testUser(issuer: TestIssuer) {
  const id = randomUUID();
  return { id, auth: { authorization: `Bearer ${await issuer.token(id)}` } };
}
export type TestUser = Awaited<ReturnType<typeof testUser>>;

/** Ticket → PUT of `bytes` to the signed URL → completion; returns the completion's answer. */
export async function upload(media: RunningMedia, user: TestUser, contentType: string, bytes: Buffer) {
  const ticket = await request('POST', `${media.base}/api/v1/media/uploads`, { body: { contentType, sizeBytes: bytes.length }, headers: user.auth });
  if (ticket.status !== 201) throw new Error(`ticket: ${ticket.status} ${JSON.stringify(ticket.body)}`);
  const put = await fetch(ticket.body.uploadUrl, { method: 'PUT', headers: ticket.body.uploadHeaders, body: new Uint8Array(bytes) });
  if (put.status !== 200) throw new Error(`PUT: ${put.status}`);
  const done = await request('POST', `${media.base}/api/v1/media/${ticket.body.id}/complete`, { headers: user.auth });
  return { id: ticket.body.id as string, done };
}
