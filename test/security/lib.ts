import http from 'node:http';
import { randomBytes, randomUUID, createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import { expect } from 'vitest';
import { pngBytes } from '../helpers/image-bytes.js';
import { ROOT } from '../helpers/processes.js';
import { newSession, type Session, type Stack } from '../helpers/stack.js';
import { createAgoraClient } from '../../openapi/client/index.js';
import { SERVICE_NAMES, type ServiceName } from '../../mesh/src/topology.js';
import { withClient } from '../../tools/src/local/databases.js';

/**
 * Shared helpers of the cross-service security suites: the contracts as a list of operations, an
 * HTTP client with keep-alive that sends paths byte for byte (fetch would normalise `..`), accounts
 * (including an admin), fixtures, token forging with auth's real signing key, and whole-database
 * snapshots for "a refused request changed nothing".
 */

// ---------------------------------------------------------------------------------------------
// Contracts
// ---------------------------------------------------------------------------------------------

/** `optional`: `[{"jwt": []}, {}]`, anyone may call it and a token that is sent is checked (public reading). */
export type SecurityClass = 'public' | 'optional' | 'authenticated' | 'admin' | 'internal';

export interface Operation {
  service: ServiceName;
  method: string;
  path: string;
  id: string;
  security: SecurityClass;
  /** `mesh` scopes: the workloads allowed to call an internal operation. */
  callers: string[];
  op: OpenApiOperation;
  doc: OpenApiDocument;
}

interface OpenApiOperation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Schema> };
}
export type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function loadDocument(service: ServiceName): OpenApiDocument {
  return JSON.parse(readFileSync(path.join(ROOT, 'openapi', `${service}.json`), 'utf8')) as OpenApiDocument;
}

export function classify(op: OpenApiOperation): { security: SecurityClass; callers: string[] } {
  const sec = op.security;
  if (!sec || sec.length === 0 || sec.every((s) => Object.keys(s).length === 0)) return { security: 'public', callers: [] };
  if (sec.some((s) => Object.keys(s).length === 0)) return { security: 'optional', callers: [] };
  const first = sec[0]!;
  if (first.mesh) return { security: 'internal', callers: first.mesh };
  if (first.jwt) return { security: first.jwt.includes('admin') ? 'admin' : 'authenticated', callers: [] };
  throw new Error(`unknown security ${JSON.stringify(sec)}`);
}

export function operations(): Operation[] {
  const out: Operation[] = [];
  for (const service of SERVICE_NAMES) {
    const doc = loadDocument(service);
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        out.push({ service, method: method.toUpperCase(), path: p, id: `${method.toUpperCase()} ${p}`, ...classify(op), op, doc });
      }
    }
  }
  return out;
}

export function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; s.$ref && i < 20; i += 1) s = doc.components.schemas[String(s.$ref).replace('#/components/schemas/', '')]!;
  if (s.allOf && s.allOf.length === 1) {
    const { allOf, ...rest } = s;
    return { ...resolve(doc, allOf[0]), ...rest };
  }
  return s;
}

export function bodySchema(o: Operation): Schema | undefined {
  const content = o.op.requestBody?.content;
  return content ? resolve(o.doc, content['application/json']?.schema) : undefined;
}

/** A minimal valid value for a schema: required properties only, `example` when the contract has one. */
export function sample(doc: OpenApiDocument, schema: Schema | undefined, name = ''): unknown {
  const s = resolve(doc, schema);
  if (s.example !== undefined) return s.example;
  if (s.enum) return s.enum[0];
  if (s.anyOf || s.oneOf) return sample(doc, (s.anyOf ?? s.oneOf)[0], name);
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = sample(doc, s.properties?.[key], key);
      return out;
    }
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sample(doc, s.items, name));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string':
    default: {
      const pattern: string = s.pattern ?? '';
      if (s.format === 'uuid' || pattern.includes('[0-9a-fA-F]{8}') || pattern.includes('{36}')) return randomUUID();
      if (pattern.includes('@')) return `${randomBytes(4).toString('hex')}@example.com`;
      if (pattern.includes('\\d{6}')) return '123456';
      if (pattern.includes('A-Za-z0-9_')) return `u_${randomBytes(4).toString('hex')}`;
      const min = Math.max(s.minLength ?? 1, 1);
      return 'x'.repeat(Math.max(min, name === 'password' ? 16 : 1));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

// Idle sockets are dropped after 3 s, before the servers' 5 s keep-alive timeout closes them under us.
export const agent = new http.Agent({ keepAlive: true, maxSockets: 16, timeout: 3_000 });

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RawRequest {
  method: string;
  /** Sent exactly as given (no normalisation): may contain `..`, `%2e`, unicode (encoded by the caller). */
  path: string;
  /**
   * Node's documented keep-alive race: a server may close an idle socket just as the client reuses
   * it; the request then fails with ECONNRESET before the server read it. Retried once (default).
   */
  retryStaleSocket?: boolean;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /** The client's own address (any of 127.0.0.0/8 on loopback): lets a suite act as many clients. */
  localAddress?: string;
}

export async function send(base: string, req: RawRequest): Promise<Answer> {
  try {
    return await sendOnce(base, req);
  } catch (err) {
    if ((err as { staleSocket?: boolean }).staleSocket && req.retryStaleSocket !== false) return sendOnce(base, req);
    throw err;
  }
}

function sendOnce(base: string, req: RawRequest): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolvePromise, reject) => {
    const r = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        agent,
        localAddress: req.localAddress,
        headers: { ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}), ...req.headers },
        timeout: req.timeoutMs ?? 30_000,
      },
      (res) => {
        // A Server-Sent Events stream (the notification stream) does not end: its status and
        // headers are the answer, and the client hangs up as soon as it has them.
        if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/event-stream')) {
          resolvePromise({ status: 200, headers: res.headers, text: '', body: undefined });
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`timeout after ${req.timeoutMs ?? 30_000} ms: ${req.method} ${req.path}`)));
    r.on('error', (err: NodeJS.ErrnoException) =>
      reject(Object.assign(err, { staleSocket: r.reusedSocket && err.code === 'ECONNRESET' && !gotResponse })),
    );
    let gotResponse = false;
    r.on('response', () => (gotResponse = true));
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

export function json(base: string, method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return send(base, {
    method,
    path: p,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

/** `json` from the client address `localAddress` (a loopback address: 127.x.y.z). */
export function jsonFrom(
  localAddress: string,
  base: string,
  method: string,
  p: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return send(base, {
    method,
    path: p,
    localAddress,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

/** A 4xx/5xx answer is RFC 9457 problem+json with a stable type and matching status, no stack trace. */
export function expectProblem(a: Answer, status?: number | number[], context = ''): void {
  const where = `${context} → ${a.status} ${a.text.slice(0, 300)}`;
  if (status !== undefined) expect([status].flat(), where).toContain(a.status);
  expect(String(a.headers['content-type']), `content-type ${where}`).toMatch(/^application\/problem\+json/);
  expect(a.body, where).toMatchObject({
    type: expect.stringMatching(/^https:\/\/agora\.dev\/problems\/[a-z-]+$/),
    title: expect.any(String),
    status: a.status,
  });
  expect(a.text, `no stack traces or SQL ${where}`).not.toMatch(/\n\s+at |node_modules|SequelizeDatabaseError|syntax error at|SELECT .* FROM/);
}

// ---------------------------------------------------------------------------------------------
// Accounts and fixtures
// ---------------------------------------------------------------------------------------------

export type Account = Session;

/** A registered, signed-in user (newSession) whose users profile exists. */
export async function account(base: string, prefix = 'sec'): Promise<Account> {
  const acc = await newSession(base, prefix);
  // users creates the profile on first use: do it now, so later requests change no row counts.
  const me = await createAgoraClient(base, () => acc.token).GET('/api/v1/users/me');
  if (!me.data) throw new Error(`users/me failed: ${me.response.status} ${JSON.stringify(me.error)}`);
  return acc;
}

function setTokens(acc: Account, tokens: { accessToken: string; refreshToken: string }): void {
  acc.token = tokens.accessToken;
  acc.refreshToken = tokens.refreshToken;
  acc.headers = { authorization: `Bearer ${tokens.accessToken}` };
}

/** Roles are auth's data: grant admin in auth's database, then refresh so the new token carries it. */
export async function makeAdmin(stack: Stack, acc: Account): Promise<Account> {
  await withClient(stack.databases.auth!, (c) => c.query(`UPDATE users SET roles = ARRAY['user','admin'] WHERE id = $1`, [acc.id]));
  const r = await createAgoraClient(stack.url).POST('/api/v1/auth/refresh', { body: { refreshToken: acc.refreshToken } });
  if (!r.data) throw new Error(`refresh failed: ${r.response.status} ${JSON.stringify(r.error)}`);
  setTokens(acc, r.data);
  return acc;
}

export interface Fixtures {
  postId: string;
  commentId: string;
  mediaId: string;
}

/** An uploaded media object of `owner`: ticket, bytes PUT to the signed URL, completion. */
export async function uploadedMedia(base: string, owner: Account): Promise<string> {
  // A PNG whose header holds a size: completion refuses bytes without one.
  const bytes = pngBytes(64);
  const t = await json(base, 'POST', '/api/v1/media/uploads', { contentType: 'image/png', sizeBytes: bytes.length }, owner.headers);
  if (t.status !== 201) throw new Error(`upload ticket: ${t.status} ${t.text}`);
  const u = new URL(t.body.uploadUrl);
  const put = await send(base, { method: 'PUT', path: `${u.pathname}${u.search}`, headers: { ...t.body.uploadHeaders }, body: bytes });
  if (put.status >= 300) throw new Error(`upload PUT: ${put.status} ${put.text}`);
  const done = await json(base, 'POST', `/api/v1/media/${t.body.id}/complete`, undefined, owner.headers);
  if (done.status !== 200) throw new Error(`complete: ${done.status} ${done.text}`);
  return t.body.id as string;
}

/** A pending (not completed) upload ticket of `owner`. */
export async function pendingMedia(base: string, owner: Account): Promise<string> {
  const t = await json(base, 'POST', '/api/v1/media/uploads', { contentType: 'image/png', sizeBytes: 16 }, owner.headers);
  if (t.status !== 201) throw new Error(`upload ticket: ${t.status} ${t.text}`);
  return t.body.id as string;
}

export async function fixtures(base: string, owner: Account): Promise<Fixtures> {
  const post = await json(base, 'POST', '/api/v1/posts', { text: `fixture ${randomBytes(4).toString('hex')}` }, owner.headers);
  if (post.status !== 201) throw new Error(`post: ${post.status} ${post.text}`);
  const comment = await json(base, 'POST', `/api/v1/posts/${post.body.id}/comments`, { text: 'fixture comment' }, owner.headers);
  if (comment.status !== 201) throw new Error(`comment: ${comment.status} ${comment.text}`);
  return { postId: post.body.id, commentId: comment.body.id, mediaId: await uploadedMedia(base, owner) };
}

// ---------------------------------------------------------------------------------------------
// Databases
// ---------------------------------------------------------------------------------------------

/**
 * Tables whose rows a *refused* request may legitimately write, by design:
 * - auth `audit_events`: failed sign-ins are audited;
 * - auth `rate_limits`: failed sign-ins and sign-up / code attempts are counted (that is the limit);
 * - auth `login_codes`: a wrong mailed code counts against that code's tries (`attempts`);
 * - auth `second_factor_attempts`: wrong second-factor codes are counted per account (the backoff);
 * - posts, users, media `account_rate_limits`: an authenticated, well-formed post, comment, like,
 *   follow or upload counts against the account's budget before the write, even when it then fails
 *   (no such post, following yourself); a 429 gives its point back (mesh/src/limits).
 * Everything else must be byte-for-byte unchanged.
 */
export const WRITTEN_BY_REFUSALS: Record<string, string[]> = {
  auth: ['audit_events', 'rate_limits', 'login_codes', 'second_factor_attempts'],
  posts: ['account_rate_limits'],
  users: ['account_rate_limits'],
  media: ['account_rate_limits'],
};

/**
 * Columns left out of a table's checksum because a background worker changes them after the request
 * that caused the row was accepted: the mail worker records delivery on auth's outbox (a sign-up with
 * a taken email, accepted with a 201, mails the owner; the row may be delivered during a later batch).
 * A new row, or any other change, still shows.
 */
export const BACKGROUND_COLUMNS: Record<string, string[]> = { 'auth.mail_outbox': ['attempts', 'next_attempt_at', 'sent_at', 'last_error'] };

export class Snapshotter {
  private clients = new Map<string, pg.Client>();
  private tables = new Map<string, string[]>();
  constructor(private readonly stack: Stack) {}

  async open(): Promise<void> {
    for (const s of SERVICE_NAMES) {
      const url = this.stack.databases[s];
      if (!url) continue;
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      this.clients.set(s, c);
      const { rows } = await c.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
      this.tables.set(
        s,
        rows.map((r) => r.t).filter((t) => !(WRITTEN_BY_REFUSALS[s] ?? []).includes(t)),
      );
    }
  }

  /**
   * Waits (up to 10 s) until no service has a job left in its queue: an accepted request's events
   * (a registration → a profile at users, a deletion → erasures everywhere) are applied after the
   * answer, and must not be mistaken for a change made by the refused requests that follow.
   */
  async settle(): Promise<void> {
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      const pending = await Promise.all(
        [...this.clients.values()].map(async (c) =>
          Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM graphile_worker.jobs')).rows[0]!.n),
        ),
      );
      if (pending.every((n) => n === 0)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Row count and a checksum of the content of every table of every service (updates show too), once events settled. */
  async take(): Promise<Record<string, string>> {
    await this.settle();
    const out: Record<string, string> = {};
    await Promise.all(
      [...this.clients].map(async ([s, c]) => {
        const tables = this.tables.get(s)!;
        if (tables.length === 0) return;
        const row = (t: string) => `(${['to_jsonb(x)', ...(BACKGROUND_COLUMNS[`${s}.${t}`] ?? []).map((col) => `'${col}'`)].join(' - ')})::text`;
        const sql = tables
          .map(
            (t) => `SELECT '${t}' AS t, count(*)::text || ':' || coalesce(md5(string_agg(${row(t)}, ',' ORDER BY ${row(t)})), '') AS v FROM "${t}" x`,
          )
          .join(' UNION ALL ');
        const { rows } = await c.query<{ t: string; v: string }>(sql);
        for (const r of rows) out[`${s}.${r.t}`] = r.v;
      }),
    );
    return out;
  }

  async counts(): Promise<Record<string, number>> {
    const snap = await this.take();
    return Object.fromEntries(Object.entries(snap).map(([k, v]) => [k, Number(v.split(':')[0])]));
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.end().catch(() => undefined)));
  }
}

export function diff(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]);
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/** auth's current signing key, read from its database and unsealed like auth does (AES-256-GCM). */
export async function authSigningKey(stack: Stack): Promise<{ kid: string; privateKey: CryptoKey }> {
  const row = await withClient(
    stack.databases.auth!,
    async (c) =>
      (
        await c.query<{ kid: string; sealed: string }>(
          `SELECT kid, private_key_ciphertext AS sealed FROM signing_keys WHERE activated_at <= now() AND retired_at IS NULL ORDER BY activated_at DESC LIMIT 1`,
        )
      ).rows[0],
  );
  if (!row) throw new Error('auth has no signing key');
  const key = Buffer.from(stack.env.auth.SIGNING_KEY_ENCRYPTION_KEY!, 'base64');
  const [, iv, tag, body] = row.sealed.split('.');
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64url'));
  d.setAAD(Buffer.from(`signing-key:${row.kid}`));
  d.setAuthTag(Buffer.from(tag!, 'base64url'));
  const pem = Buffer.concat([d.update(Buffer.from(body!, 'base64url')), d.final()]).toString('utf8');
  return { kid: row.kid, privateKey: await importPKCS8(pem, 'ES256') };
}

export interface ForgeOptions {
  header?: Record<string, unknown>;
  /** Claims to set (undefined deletes a default claim). */
  claims?: Record<string, unknown>;
  key: CryptoKey;
}

/** A token like auth's, for `sub`, with any claim or header changed. */
export async function forge(stack: Stack, sub: string, opts: ForgeOptions & { kid?: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: stack.env.auth.JWT_ISSUER,
    aud: 'agora-api',
    sub,
    roles: ['user'],
    sid: randomUUID(),
    jti: randomUUID(),
    preferred_username: 'forged',
    iat: now,
    exp: now + 900,
    ...opts.claims,
  };
  for (const k of Object.keys(claims)) if (claims[k] === undefined) delete claims[k];
  const header = { alg: 'ES256', typ: 'at+jwt', kid: opts.kid, ...opts.header };
  for (const k of Object.keys(header)) if ((header as Record<string, unknown>)[k] === undefined) delete (header as Record<string, unknown>)[k];
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(opts.key);
}

export const b64url = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
