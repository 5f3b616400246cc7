import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { problems, takePoint, type Database } from '@agora/mesh';

/**
 * Rate limits held in PostgreSQL (rate-limiter-flexible), so every auth replica counts against the
 * same numbers. Keys never hold raw identifiers: logins and emails are hashed.
 *
 * Password attempts are reserved before the password is verified (`consume`, one atomic upsert in
 * the library) and refunded on success (`reward`): of N concurrent guesses for one account at most
 * the budget reach argon2, because each one holds its slot while it is being checked.
 */
export interface RateLimitSettings {
  loginPerAccount: number; // failed attempts per 15 min, per resolved account (username and email alike)
  loginPerIp: number; // failed attempts per 15 min, per client address (more generous than per account)
  loginPerIpUnderAttack: number; // the per-address budget while the global failure budget is spent
  loginGlobal: number; // failed attempts per 15 min across every account and address
  signupPerIp: number; // per hour
  codeRequestsPerEmail: number; // per 15 min
  codeRequestsPerIp: number; // per hour
}

const FIFTEEN_MINUTES = 15 * 60;
const HOUR = 60 * 60;
const GLOBAL_KEY = 'all';

/** A reserved password attempt: `succeeded()` refunds it, anything else leaves it counted as a failure. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

export class RateLimits {
  private readonly loginAccount: RateLimiterPostgres;
  private readonly loginIp: RateLimiterPostgres;
  private readonly loginGlobal: RateLimiterPostgres;
  private readonly signupIp: RateLimiterPostgres;
  private readonly codeEmail: RateLimiterPostgres;
  private readonly codeIp: RateLimiterPostgres;
  private readonly resetEmail: RateLimiterPostgres;
  private readonly resetIp: RateLimiterPostgres;
  private readonly verifyEmail: RateLimiterPostgres;
  private readonly verifyIp: RateLimiterPostgres;

  constructor(
    db: Database,
    private readonly settings: RateLimitSettings,
    /** Called when the global failure budget is spent (the first refusal of each window counts it). */
    private readonly onGlobalBudgetSpent: () => void = () => undefined,
  ) {
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
    this.loginGlobal = make('login_global', settings.loginGlobal, FIFTEEN_MINUTES);
    this.signupIp = make('signup_ip', settings.signupPerIp, HOUR);
    this.codeEmail = make('code_email', settings.codeRequestsPerEmail, FIFTEEN_MINUTES);
    this.codeIp = make('code_ip', settings.codeRequestsPerIp, HOUR);
    // Password-reset and verification mails: the sign-in code's budgets, counted apart.
    this.resetEmail = make('reset_email', settings.codeRequestsPerEmail, FIFTEEN_MINUTES);
    this.resetIp = make('reset_ip', settings.codeRequestsPerIp, HOUR);
    this.verifyEmail = make('verify_email', settings.codeRequestsPerEmail, FIFTEEN_MINUTES);
    this.verifyIp = make('verify_ip', settings.codeRequestsPerIp, HOUR);
  }

  /**
   * Reserves one password attempt for `accountKey` (see `accountKey()`) from `ip`, or refuses with
   * 429 before anything is verified. The address budget is larger than the account budget, so one
   * address locking an account out does not refuse the other accounts behind that address. While the
   * global failure budget is spent (stuffing from many addresses), each address gets only the
   * account-sized budget.
   */
  async reserveLogin(accountKey: string, ip: string): Promise<LoginAttempt> {
    const [account, address, global] = await Promise.all([
      takePoint(this.loginAccount, accountKey),
      takePoint(this.loginIp, ip),
      takePoint(this.loginGlobal, GLOBAL_KEY),
    ]);
    const underAttack = global.consumedPoints > this.settings.loginGlobal;
    if (underAttack && global.consumedPoints === this.settings.loginGlobal + 1) this.onGlobalBudgetSpent();
    const addressLimit = underAttack ? this.settings.loginPerIpUnderAttack : this.settings.loginPerIp;
    const refusedBy = [
      account.consumedPoints > this.settings.loginPerAccount ? account : undefined,
      address.consumedPoints > addressLimit ? address : undefined,
    ].filter((r): r is RateLimiterRes => r !== undefined);
    const refund = async () => {
      await Promise.all([this.loginAccount.reward(accountKey, 1), this.loginIp.reward(ip, 1), this.loginGlobal.reward(GLOBAL_KEY, 1)]);
    };
    if (refusedBy.length > 0) {
      // Nothing was verified: the refused attempt does not count (a locked-out account stays at its budget).
      await refund();
      throw problems.rateLimited(Math.max(...refusedBy.map(retryAfter)));
    }
    let settled = false;
    return {
      async succeeded() {
        if (settled) return;
        settled = true;
        await refund();
      },
    };
  }

  async consumeSignup(ip: string): Promise<void> {
    await consume(this.signupIp, ip);
  }

  async consumeCodeRequest(email: string, ip: string): Promise<void> {
    await consume(this.codeIp, ip);
    await consume(this.codeEmail, hashKey(email));
  }

  async consumeResetRequest(email: string, ip: string): Promise<void> {
    await consume(this.resetIp, ip);
    await consume(this.resetEmail, hashKey(email));
  }

  /** A verification mail (email change, or a new verification link) to `email`. */
  async consumeVerificationMail(email: string, ip: string): Promise<void> {
    await consume(this.verifyIp, ip);
    await consume(this.verifyEmail, hashKey(email));
  }
}

/**
 * The account budget's key: the account's id when the login names one (so its username and its
 * email share one budget), else the hashed login (unknown names are limited the same way).
 */
export function accountKey(userId: string | undefined, login: string): string {
  return userId ? `user:${userId}` : `login:${hashKey(login)}`;
}

function hashKey(value: string): string {
  return createHash('sha256').update(value.trim().toLowerCase()).digest('base64url');
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
