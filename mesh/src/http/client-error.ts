import type { Socket } from 'node:net';
import { PROBLEM_BASE, PROBLEM_CONTENT_TYPE } from './problem.js';

/**
 * Requests Node's HTTP parser refuses before any handler runs (headers over its 16 KiB limit, bytes
 * that are not HTTP) would get a bare status line. This answers them with a problem+json like every
 * other refusal, then closes the connection. Used by the services' servers and the local ingress.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  // As Node's own handler does: once a response has begun on this connection, all we can do is close it.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  if (err.code === 'ECONNRESET') {
    socket.destroy(); // the client went away; nobody to answer
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    type: `${PROBLEM_BASE}${tooLarge ? 'headers-too-large' : 'validation'}`,
    title: tooLarge ? 'Request headers too large' : 'Your request is not valid',
    status,
    detail: tooLarge ? 'The request headers exceed 16 KiB; send a smaller request.' : 'The request is not valid HTTP.',
  });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
