/**
 * The local object store: what S3 is in the cluster, for the local run (and the media tests).
 *
 * A tiny HTTP server that keeps objects under one directory (`.data/objects/` in the local run) and
 * honours the same contract as S3 presigned URLs: every request carries a signature made by the
 * media service with a key it shares with the store (`LOCAL_STORE_SIGNING_KEY`), so the bytes of an
 * upload or a download never pass through an API service and the store needs no user accounts.
 *
 *   PUT  /objects/<key>?type=<content type>&size=<bytes>&expires=<unix s>&signature=<mac>
 *   GET  /objects/<key>?expires=<unix s>&signature=<mac>
 *   HEAD /objects/<key>?expires=<unix s>&signature=<mac>
 *   DELETE /objects/<key>?expires=<unix s>&signature=<mac>   (204 whether or not it existed, as on S3)
 *
 * `mac` = base64url(HMAC-SHA256(key, "<METHOD>\n<object key>\n<expires>\n<type>\n<size>")), with an
 * empty type and size for GET, HEAD and DELETE. A missing, tampered or expired signature is 403; a PUT whose
 * Content-Type differs from the signed type is 400, whose body is longer than the signed size 413,
 * shorter (or without a Content-Length) 400. The body is streamed to a temporary file and linked
 * into place only once complete, so a half upload is never visible. Objects are write-once: a PUT to
 * a key that holds an object is 409 (what S3 does with the `If-None-Match: *` media signs into its
 * upload URLs), so an upload URL cannot replace an object after media checked it. Errors are
 * problem+json.
 */
import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { MAX_OBJECT_BYTES, OBJECT_PATH_PREFIX, isValidObjectKey, objectSignature, type ObjectMethod } from '@agora/mesh/object-url';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, link, mkdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { listen } from './ports.js';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface ObjectStoreOptions {
  /** Directory that holds the objects (created when missing). */
  readonly dir: string;
  readonly signingKey: string;
  readonly port: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Browser origins allowed to PUT/GET cross-origin (the SPA); default none. */
  readonly corsOrigins?: readonly string[];
  readonly now?: () => number;
  readonly onError?: (line: string) => void;
}

export interface ObjectStore {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  close(graceMs?: number): Promise<void>;
}

interface ObjectMeta {
  contentType: string;
  size: number;
}

class StoreError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 409 | 413 | 500,
    readonly slug: string,
    readonly title: string,
    detail: string,
  ) {
    super(detail);
  }
}

const refuse = {
  forbidden: (detail: string) => new StoreError(403, 'forbidden', 'Not allowed', detail),
  invalid: (detail: string) => new StoreError(400, 'validation', 'Your request is not valid', detail),
  tooLarge: (detail: string) => new StoreError(413, 'payload-too-large', 'Request body too large', detail),
  notFound: () => new StoreError(404, 'not-found', 'Not found', 'No such object.'),
  exists: () => new StoreError(409, 'conflict', 'Conflict', 'An object is already stored under this key; objects cannot be replaced.'),
};

function sendProblem(req: http.IncomingMessage, res: http.ServerResponse, err: StoreError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const instance = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : undefined;
  const body = JSON.stringify({
    type: `https://agora.dev/problems/${err.slug}`,
    title: err.title,
    status: err.status,
    detail: err.message,
    ...(instance ? { instance } : {}),
  });
  res.writeHead(err.status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    // An unread request body would otherwise keep the connection busy.
    ...(req.complete ? {} : { connection: 'close' }),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Starts the store; resolves once it listens. */
export async function startObjectStore(opts: ObjectStoreOptions): Promise<ObjectStore> {
  const now = opts.now ?? (() => Date.now());
  const dataDir = path.resolve(opts.dir, 'data');
  const metaDir = path.resolve(opts.dir, 'meta');
  const tmpDir = path.resolve(opts.dir, 'tmp');
  await Promise.all([dataDir, metaDir, tmpDir].map((d) => mkdir(d, { recursive: true })));
  const corsOrigins = new Set(opts.corsOrigins ?? []);

  const files = (key: string) => ({ data: path.join(dataDir, key), meta: path.join(metaDir, `${key}.json`) });

  function authorise(req: http.IncomingMessage, method: ObjectMethod, key: string, query: URLSearchParams) {
    const expiresText = query.get('expires') ?? '';
    const signature = query.get('signature') ?? '';
    const expires = Number(expiresText);
    if (!/^\d{1,12}$/.test(expiresText) || !signature) throw refuse.forbidden('The URL is not signed.');
    let contentType: string | undefined;
    let size: number | undefined;
    if (method === 'PUT') {
      contentType = query.get('type') ?? '';
      const sizeText = query.get('size') ?? '';
      size = Number(sizeText);
      if (!/^\d{1,12}$/.test(sizeText)) throw refuse.forbidden('The URL is not signed for an upload.');
    }
    const expected = objectSignature(opts.signingKey, { method, key, expires, contentType, size });
    if (!sameSignature(expected, signature)) throw refuse.forbidden('The signature does not match this request.');
    if (now() / 1000 > expires) throw refuse.forbidden('The signed URL has expired.');
    return { contentType, size };
  }

  async function put(req: http.IncomingMessage, res: http.ServerResponse, key: string, query: URLSearchParams): Promise<void> {
    const signed = authorise(req, 'PUT', key, query);
    const size = signed.size!;
    const given = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (given !== signed.contentType!.toLowerCase()) {
      throw refuse.invalid(`Content-Type must be ${signed.contentType} (signed), not ${given || 'absent'}.`);
    }
    if (size > MAX_OBJECT_BYTES) throw refuse.tooLarge(`Objects are limited to ${MAX_OBJECT_BYTES} bytes.`);
    const lengthText = req.headers['content-length'];
    if (lengthText === undefined) throw refuse.invalid(`Content-Length is required and must be ${size}.`);
    const length = Number(lengthText);
    if (length > size) throw refuse.tooLarge(`The body must be exactly ${size} bytes (signed), not ${length}.`);
    if (length !== size) throw refuse.invalid(`The body must be exactly ${size} bytes (signed), not ${length}.`);

    const { data, meta } = files(key);
    // Refused before the body is read; the exclusive link below settles a race between two PUTs.
    if (await exists(data)) throw refuse.exists();
    const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        if (received > size) done(refuse.tooLarge(`The body exceeds the signed size of ${size} bytes.`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(req, counter, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
      if (received !== size) throw refuse.invalid(`The body must be exactly ${size} bytes (signed), got ${received}.`);
      await Promise.all([mkdir(path.dirname(data), { recursive: true }), mkdir(path.dirname(meta), { recursive: true })]);
      const metaTmp = `${tmp}.json`;
      await writeFile(metaTmp, JSON.stringify({ contentType: signed.contentType!, size } satisfies ObjectMeta), { mode: 0o600 });
      // The data file is linked exclusively (EEXIST: another PUT won); the object is visible only
      // once its metadata is renamed in after it (a read in between finds no metadata: 404).
      try {
        await link(tmp, data);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw refuse.exists();
        throw err;
      }
      await unlink(tmp);
      await rename(metaTmp, meta);
    } catch (err) {
      await rm(tmp, { force: true });
      await rm(`${tmp}.json`, { force: true });
      throw err;
    }
    res.writeHead(200, { etag: `"${size}-${Date.now().toString(36)}"`, 'content-length': 0, 'cache-control': 'no-store' });
    res.end();
  }

  async function read(req: http.IncomingMessage, res: http.ServerResponse, key: string, query: URLSearchParams, method: 'GET' | 'HEAD') {
    authorise(req, method, key, query);
    const { data, meta } = files(key);
    let info: ObjectMeta;
    let size: number;
    try {
      size = (await stat(data)).size;
      info = JSON.parse(await readFile(meta, 'utf8')) as ObjectMeta;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw refuse.notFound();
      throw err;
    }
    // Objects are write-once, so what a signed URL served stays true: a browser may keep it for the
    // signature's remaining life (media's /content redirect hands out the same URL for a while, so
    // the next page finds the image in its cache), privately — the URL is a capability.
    const remaining = Math.max(0, Number(query.get('expires')) - Math.floor(now() / 1000));
    res.writeHead(200, {
      'content-type': info.contentType,
      'content-length': size,
      'cache-control': method === 'GET' ? `private, max-age=${remaining}, immutable` : 'no-store',
      'x-content-type-options': 'nosniff',
      'content-disposition': 'inline',
    });
    if (method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(createReadStream(data), res);
  }

  /** Media erasing a deleted user's objects (account.deleted): gone afterwards, whether or not it was there. */
  async function remove(req: http.IncomingMessage, res: http.ServerResponse, key: string, query: URLSearchParams) {
    authorise(req, 'DELETE', key, query);
    const { data, meta } = files(key);
    // Data first: the object stops being visible at once, its metadata follows.
    await rm(data, { force: true });
    await rm(meta, { force: true });
    res.writeHead(204, { 'cache-control': 'no-store' });
    res.end();
  }

  function cors(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const origin = req.headers.origin;
    if (origin && corsOrigins.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      res.setHeader('access-control-expose-headers', 'ETag, Content-Length, Content-Type');
    }
    if (req.method !== 'OPTIONS') return false;
    if (origin && corsOrigins.has(origin)) {
      res.setHeader('access-control-allow-methods', 'PUT, GET, HEAD');
      res.setHeader('access-control-allow-headers', 'Content-Type');
      res.setHeader('access-control-max-age', '600');
    }
    res.writeHead(204);
    res.end();
    return true;
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      if (cors(req, res)) return;
      const url = new URL(req.url ?? '/', 'http://store');
      if (!url.pathname.startsWith(OBJECT_PATH_PREFIX)) throw refuse.notFound();
      let key: string;
      try {
        key = decodeURIComponent(url.pathname.slice(OBJECT_PATH_PREFIX.length));
      } catch {
        throw refuse.notFound();
      }
      if (!isValidObjectKey(key)) throw refuse.notFound();
      if (req.method === 'PUT') await put(req, res, key, url.searchParams);
      else if (req.method === 'GET' || req.method === 'HEAD') await read(req, res, key, url.searchParams, req.method);
      else if (req.method === 'DELETE') await remove(req, res, key, url.searchParams);
      else {
        res.setHeader('allow', 'PUT, GET, HEAD, DELETE');
        throw new StoreError(405, 'method-not-allowed', 'Method not allowed', `${req.method} is not allowed on objects.`);
      }
    })().catch((err: unknown) => {
      if (err instanceof StoreError) sendProblem(req, res, err);
      else {
        const code = (err as NodeJS.ErrnoException).code;
        // The client went away mid-upload: the temporary file is already gone, nothing to answer.
        if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || req.socket.destroyed) {
          res.destroy();
          return;
        }
        opts.onError?.(`${req.method} ${req.url?.split('?')[0]}: ${(err as Error).message}`);
        sendProblem(req, res, new StoreError(500, 'internal', 'Internal error', 'The object store failed; see its log.'));
      }
    });
  });
  server.headersTimeout = 60_000;
  server.requestTimeout = 0; // slow uploads are bounded by the signed size, not by time

  const port = await listen(server, opts.port, opts.host ?? '127.0.0.1');
  let closing: Promise<void> | undefined;
  return {
    url: `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`,
    port,
    server,
    close(graceMs = 3_000) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
