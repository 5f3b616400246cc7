import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { problems, type Database } from '@agora/mesh';

/**
 * Rate limits held in PostgreSQL (rate-limiter-flexible), so every auth replica counts against the
 * same numbers. Keys never hold raw identifiers: accounts and emails are hashed.
 */
export interface RateLimitSettings {
  loginPerAccount: number; // failed attempts per 15 min
  loginPerIp: number; // failed attempts per 15 min
  signupPerIp: number; // per hour
  codeRequestsPerEmail: number; // per 15 min
  codeRequestsPerIp: number; // per hour
}

const FIFTEEN_MINUTES = 15 * 60;
const HOUR = 60 * 60;

export class RateLimits {
  private readonly loginAccount: RateLimiterPostgres;
  private readonly loginIp: RateLimiterPostgres;
  private readonly signupIp: RateLimiterPostgres;
  private readonly codeEmail: RateLimiterPostgres;
  private readonly codeIp: RateLimiterPostgres;

  constructor(db: Database, settings: RateLimitSettings) {
    const make = (keyPrefix: string, points: number, duration: number) =>
      new RateLimiterPostgres({
        // The service's pg pool (the library's supported 'pool' store).
        storeClient: db.pool,
        storeType: 'pool',
        tableName: 'rate_limits',
        tableCreated: true,
        keyPrefix,
        points,
        duration,
      });
    this.loginAccount = make('login_account', settings.loginPerAccount, FIFTEEN_MINUTES);
    this.loginIp = make('login_ip', settings.loginPerIp, FIFTEEN_MINUTES);
    this.signupIp = make('signup_ip', settings.signupPerIp, HOUR);
    this.codeEmail = make('code_email', settings.codeRequestsPerEmail, FIFTEEN_MINUTES);
    this.codeIp = make('code_ip', settings.codeRequestsPerIp, HOUR);
  }

  /** Before checking a password: refuse when the account or the IP has used up its failed attempts. */
  async assertLoginAllowed(login: string, ip: string): Promise<void> {
    await Promise.all([assertRemaining(this.loginAccount, hashKey(login)), assertRemaining(this.loginIp, ip)]);
  }

  async loginFailed(login: string, ip: string): Promise<void> {
    await Promise.all([spend(this.loginAccount, hashKey(login)), spend(this.loginIp, ip)]);
  }

  /** A successful sign-in clears the account's failures (not the IP's). */
  async loginSucceeded(login: string): Promise<void> {
    await this.loginAccount.delete(hashKey(login));
  }

  async consumeSignup(ip: string): Promise<void> {
    await consume(this.signupIp, ip);
  }

  async consumeCodeRequest(email: string, ip: string): Promise<void> {
    await consume(this.codeIp, ip);
    await consume(this.codeEmail, hashKey(email));
  }
}

function hashKey(value: string): string {
  return createHash('sha256').update(value.trim().toLowerCase()).digest('base64url');
}

async function assertRemaining(limiter: RateLimiterPostgres, key: string): Promise<void> {
  const res = await limiter.get(key);
  if (res && res.consumedPoints >= limiter.points) throw problems.rateLimited(retryAfter(res));
}

async function spend(limiter: RateLimiterPostgres, key: string): Promise<void> {
  await limiter.consume(key).catch((err: unknown) => {
    if (!(err instanceof RateLimiterRes)) throw err; // over the limit already: nothing more to count
  });
}

async function consume(limiter: RateLimiterPostgres, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw problems.rateLimited(retryAfter(err));
    throw err;
  }
}

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
