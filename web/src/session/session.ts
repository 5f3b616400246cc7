import type { paths } from '@agora/client';

/**
 * The browser session. The access token lives in this object only (memory); the refresh token is
 * an HttpOnly cookie that auth sets in cookie mode (`X-Agora-Session: cookie`), never visible here.
 *
 * - `fetch` adds the bearer token; on a 401 it refreshes once and retries once.
 * - Refreshes are single flight: parallel 401s in one tab share one refresh, and tabs take turns
 *   through a Web Lock, because two tabs rotating the same cookie at once would look like token
 *   reuse to auth and end the whole session. (A tab that waited simply refreshes again with the
 *   cookie the first one rotated.)
 * - A 403 checks the session with one refresh (a suspended account keeps its access token until it
 *   expires, but its session is gone), so the tab signs out on its next refused action.
 * - A refused refresh (401/403) signs out cleanly: token dropped, listeners told, other tabs told.
 *   Why the session ended (the `reason` of the 401 that led to it: session_ended, account_suspended,
 *   account_deleted, token_too_old) is kept in `endReason`, so the sign-in screen can say it.
 *   An unreachable API is not a sign-out: the caller shows "can't reach Agora" and the user stays.
 */
type TokenAnswer = paths['/api/v1/auth/refresh']['post']['responses'][200]['content']['application/json'];
/** What a token answer carries in cookie mode (the refresh token went into the cookie). */
export type AccessGrant = Omit<TokenAnswer, 'refreshToken'> & { refreshToken?: never };

export type RefreshOutcome = 'refreshed' | 'signed-out' | 'unavailable';

/** The `reason` values of a revoked token's 401 (mesh/src/auth/authentication.ts) the app words. */
export const END_REASONS = ['session_ended', 'account_suspended', 'account_deleted', 'token_too_old'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** The `reason` of a 401 problem, when it is one of END_REASONS (anything else: undefined). */
async function endReasonOf(response: Response): Promise<EndReason | undefined> {
  if (!(response.headers.get('Content-Type') ?? '').includes('json')) return undefined;
  try {
    const reason = ((await response.clone().json()) as { reason?: unknown } | null)?.reason;
    return END_REASONS.find((r) => r === reason);
  } catch {
    return undefined;
  }
}

export interface Claims {
  sub: string;
  roles: string[];
  exp: number;
}

export interface SessionDeps {
  fetch: (request: Request) => Promise<Response>;
  /** Runs `task` holding a lock shared by every tab (navigator.locks in browsers). */
  lock: <T>(name: string, task: () => Promise<T>) => Promise<T>;
  /** Tells other tabs about a sign-out and hears theirs (a BroadcastChannel in browsers). */
  channel?: { postMessage(message: unknown): void; addEventListener(type: 'message', fn: (event: { data: unknown }) => void): void };
  /** Absolute base for the auth calls (the page origin in browsers). */
  origin: string;
}

export const SESSION_HEADER = 'X-Agora-Session';
const AUTH_PATH = '/api/v1/auth/';
/** 401s of these are answers to the user (wrong password, wrong code), not an expired token. */
const CREDENTIAL_PATHS = ['/api/v1/auth/login', '/api/v1/auth/register', '/api/v1/auth/refresh', '/api/v1/auth/logout'];

function decodeClaims(token: string): Claims | undefined {
  try {
    const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '='))) as Partial<Claims>;
    if (typeof json.sub !== 'string') return undefined;
    return { sub: json.sub, roles: Array.isArray(json.roles) ? json.roles.map(String) : [], exp: Number(json.exp) || 0 };
  } catch {
    return undefined;
  }
}

export class Session {
  private accessToken: string | undefined;
  private currentClaims: Claims | undefined;
  /** Bumps on every new token, so a 401 for a request sent with an older token just retries. */
  private generation = 0;
  private inflight: Promise<RefreshOutcome> | undefined;
  /** Why the last session ended, when an API answer said so; cleared by the next sign-in. */
  private lastEndReason: EndReason | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: SessionDeps) {
    deps.channel?.addEventListener('message', (event) => {
      const message = event.data as { type?: string; reason?: unknown } | null;
      if (message?.type !== 'signed-out') return;
      this.lastEndReason = END_REASONS.find((r) => r === message.reason);
      this.clear(false);
    });
  }

  get claims(): Claims | undefined {
    return this.currentClaims;
  }

  get endReason(): EndReason | undefined {
    return this.lastEndReason;
  }

  get signedIn(): boolean {
    return this.accessToken !== undefined;
  }

  isAdmin(): boolean {
    return this.currentClaims?.roles.includes('admin') ?? false;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A login/refresh answer in cookie mode. */
  accept(grant: Pick<AccessGrant, 'accessToken'>): void {
    this.accessToken = grant.accessToken;
    this.lastEndReason = undefined;
    this.currentClaims = decodeClaims(grant.accessToken);
    this.generation += 1;
    this.notify();
  }

  /** Single flight: every caller during a refresh gets the same outcome. */
  refresh(): Promise<RefreshOutcome> {
    if (this.inflight) return this.inflight;
    const startedAt = this.generation;
    this.inflight = this.deps
      .lock('agora-refresh', async (): Promise<RefreshOutcome> => {
        // Another caller in this tab got a token while this one queued for the lock.
        if (this.generation !== startedAt && this.accessToken) return 'refreshed';
        let res: Response;
        try {
          res = await this.deps.fetch(this.authRequest('refresh'));
        } catch {
          return 'unavailable';
        }
        if (res.ok) {
          this.accept((await res.json()) as AccessGrant);
          return 'refreshed';
        }
        // Read the refusal to its end, so the connection (and the browser's request) completes.
        await res.text().catch(() => '');
        if (res.status === 401 || res.status === 403) {
          this.clear(true);
          return 'signed-out';
        }
        return 'unavailable';
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  /**
   * Ends the session at auth (cookie cleared there) and here, and in the other tabs. `reason` is
   * for an ending the app caused but the person did not ask for as a sign-out (account deleted).
   */
  async signOut(reason?: EndReason): Promise<void> {
    this.lastEndReason = reason;
    try {
      await (await this.deps.fetch(this.authRequest('logout'))).text();
    } finally {
      this.clear(true);
    }
  }

  /** Drops the session locally (e.g. after a refused refresh). */
  clear(broadcast: boolean): void {
    const had = this.accessToken !== undefined;
    this.accessToken = undefined;
    this.currentClaims = undefined;
    this.generation += 1;
    if (broadcast) this.deps.channel?.postMessage({ type: 'signed-out', ...(this.lastEndReason ? { reason: this.lastEndReason } : {}) });
    if (had || broadcast) this.notify();
  }

  /** The fetch the typed client uses. */
  readonly fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url, this.deps.origin).pathname;
    const retry = request.clone();
    const sentWith = this.generation;
    const first = await this.deps.fetch(this.withHeaders(request, path));
    if (CREDENTIAL_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return first;
    if (first.status === 403 && this.accessToken && this.generation === sentWith) {
      // A refusal may mean the session itself was ended (an admin suspended the account: the access
      // token lives on, the session does not). One refresh tells: if it is refused, sign out.
      await this.refresh();
      return first;
    }
    if (first.status !== 401) return first;
    if (this.generation === sentWith) {
      // Not even a session to refresh: a signed-out caller's 401 is the answer.
      if (!this.accessToken) return first;
      // Set before the refresh, whose sign-out tells the listeners: they read it then. A refresh
      // that succeeds (token_too_old, an expired token) clears it again in accept().
      this.lastEndReason = await endReasonOf(first);
      const outcome = await this.refresh();
      if (outcome === 'unavailable') this.lastEndReason = undefined;
      if (outcome !== 'refreshed') return first;
    }
    await first.body?.cancel().catch(() => undefined); // replaced by the retry's answer
    return this.deps.fetch(this.withHeaders(retry, path));
  };

  private withHeaders(request: Request, path: string): Request {
    const headers = new Headers(request.headers);
    if (this.accessToken) headers.set('Authorization', `Bearer ${this.accessToken}`);
    if (path.startsWith(AUTH_PATH)) headers.set(SESSION_HEADER, 'cookie');
    return new Request(request, { headers });
  }

  private authRequest(op: 'refresh' | 'logout'): Request {
    return new Request(new URL(`/api/v1/auth/${op}`, this.deps.origin), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [SESSION_HEADER]: 'cookie' },
      body: '{}',
      credentials: 'same-origin',
    });
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The session of this page: Web Locks across tabs, a BroadcastChannel for sign-outs. */
export function browserSession(): Session {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return new Session({
    fetch: (request) => globalThis.fetch(request),
    lock: locks ? <T>(name: string, task: () => Promise<T>) => locks.request(name, task) as Promise<T> : (_name, task) => task(),
    channel: typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('agora-session') : undefined,
    origin: window.location.origin,
  });
}
