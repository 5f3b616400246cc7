import path from 'node:path';
import { CLOCK_TOLERANCE_SECONDS, createTokenVerifier, ServiceEvents, type ServiceContext, type ServiceWiring } from '@agora/mesh';
import type { AuthConfig } from './config.js';
import { AccountEvents } from './domain/account-events.js';
import { AccountTokens } from './domain/account-tokens.js';
import { Accounts } from './domain/accounts.js';
import { AuditLog } from './domain/audit.js';
import { AuthService } from './domain/auth-service.js';
import { EmailAddresses } from './domain/email-addresses.js';
import { KeyStore } from './domain/key-store.js';
import { MailQueue, mailboxTransport, SEND_MAIL_TASK, sendMailTask, smtpTransport } from './domain/mail.js';
import { MfaChallenges } from './domain/mfa-challenges.js';
import { PasswordChanges } from './domain/password-changes.js';
import { PasswordlessCodes } from './domain/passwordless.js';
import { RateLimits } from './domain/rate-limits.js';
import { SecondFactorAttempts } from './domain/second-factor-attempts.js';
import { SecretBox } from './domain/secret-box.js';
import { Sessions } from './domain/sessions.js';
import { SessionRevocations } from './domain/session-revocations.js';
import { TokenIssuer } from './domain/token-issuer.js';
import { TwoFactor } from './domain/two-factor.js';
import { RegisterRoutes } from './generated/routes.js';
import { loadOpenApi } from '@agora/mesh';
import { cookieSession } from './cookie-session.js';
import { declareAuthMetrics } from './metrics.js';

/** What the controllers get (see ioc.ts). */
export interface AuthDeps {
  config: AuthConfig;
  auth: AuthService;
  passwords: PasswordChanges;
  emails: EmailAddresses;
  keys: KeyStore;
  sessions: Sessions;
  twoFactor: TwoFactor;
  audit: AuditLog;
  mail: MailQueue;
  events: ServiceEvents;
}

/** Builds the auth service's object graph on its database and hands mesh its routes. */
export async function wireAuth({ config, logger, db, metrics }: ServiceContext<AuthConfig>): Promise<ServiceWiring> {
  const box = new SecretBox(config.SIGNING_KEY_ENCRYPTION_KEY);
  const keys = new KeyStore(db, box, config.ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS);
  await keys.start();
  const audit = new AuditLog(db, logger);
  const counters = declareAuthMetrics(metrics);
  const transport = config.MAIL_TRANSPORT === 'smtp' ? smtpTransport(config.SMTP_URL!) : mailboxTransport(path.resolve(config.MAILBOX_DIR));
  const mail = new MailQueue();
  // auth's worker delivers its account events and sends its mail.
  const events = new ServiceEvents({
    service: 'auth',
    config,
    db,
    logger,
    registry: metrics.registry,
    tasks: { [SEND_MAIL_TASK]: sendMailTask(db, box, transport, config.MAIL_FROM, mail.onSent) },
    // A consumer confirmed account.deleted: it erased the account; the last one releases the username.
    onDelivered: async (event, consumer) => {
      if (event.type === 'account.deleted') await db.transaction((tx) => accountEvents.erasureConfirmed(tx, event.aggregateId, consumer));
    },
  });
  mail.useWorker(events.worker);
  const accountEvents = new AccountEvents(events.publisher, config.ACCESS_TOKEN_TTL_SECONDS);
  const revocations = new SessionRevocations(events.publisher, config.ACCESS_TOKEN_TTL_SECONDS);
  const sessions = new Sessions(db, config.REFRESH_TOKEN_TTL_SECONDS, audit, revocations, () => counters.refreshReuse.inc());
  const issuer = new TokenIssuer(keys, config.JWT_ISSUER, config.JWT_AUDIENCE, config.ACCESS_TOKEN_TTL_SECONDS);
  const secondFactorAttempts = new SecondFactorAttempts(db, box, audit, (operation) => counters.secondFactorFailures.inc(operation));
  const twoFactor = new TwoFactor(db, box, secondFactorAttempts);
  const limits = new RateLimits(
    db,
    {
      loginPerAccount: config.RATE_LIMIT_LOGIN_PER_ACCOUNT,
      loginPerIp: config.RATE_LIMIT_LOGIN_PER_IP,
      loginPerIpUnderAttack: config.RATE_LIMIT_LOGIN_PER_IP_UNDER_ATTACK,
      loginGlobal: config.RATE_LIMIT_LOGIN_GLOBAL,
      signupPerIp: config.RATE_LIMIT_SIGNUP_PER_IP,
      codeRequestsPerEmail: config.RATE_LIMIT_CODE_PER_EMAIL,
      codeRequestsPerIp: config.RATE_LIMIT_CODE_PER_IP,
    },
    () => logger.warn('sign-in: the global failure budget is spent; each address now gets the under-attack budget'),
  );
  const accountTokens = new AccountTokens();
  // A new account's verification mail is queued in its sign-up transaction (EmailAddresses needs auth: bound below).
  const late: { emails?: EmailAddresses } = {};
  const auth = new AuthService({
    accounts: new Accounts(db, box, accountEvents),
    sessions,
    tokens: issuer,
    audit,
    limits,
    twoFactor,
    mfa: new MfaChallenges(db),
    passwordless: new PasswordlessCodes(db, box),
    counters: { registration: () => counters.registrations.inc(), login: (result) => counters.logins.inc(result) },
    onSignUp: (tx, user) => late.emails!.queueVerification(tx, user.id, user.email),
  });
  const lifecycle = { db, box, auth, sessions, tokens: accountTokens, limits, audit, appUrl: config.APP_URL };
  const emails = (late.emails = new EmailAddresses(lifecycle));
  const passwords = new PasswordChanges(lifecycle);
  await events.start(); // the revocation set: authentication needs it from the first request
  const deps: AuthDeps = { config, auth, passwords, emails, keys, sessions, twoFactor, audit, mail, events };
  return {
    // Cookie mode for the web app runs before the generated routes validate the body.
    registerRoutes: (router) => {
      router.use(cookieSession(config.CORS_ORIGINS));
      RegisterRoutes(router);
    },
    openapi: await loadOpenApi('auth'),
    // auth verifies its own tokens from its key store instead of fetching its own JWKS over HTTP.
    verifier: createTokenVerifier({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, jwks: keys.getKey }),
    revocations: events.revocations,
    deps,
    // Its outbox's delivery and the mail need not hold up the first request (ServiceEvents.startWorker).
    afterReady: () => events.startWorker(),
    onClose: async () => {
      keys.stop();
      await events.stop();
    },
  };
}
