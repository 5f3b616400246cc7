/**
 * Request and response shapes of the auth API. tsoa turns these (with their JSDoc rules) into the
 * OpenAPI schemas and the request validation, so the contract and the checks cannot drift.
 */

export interface RegisterRequest {
  /**
   * 3–30 letters, digits or underscores.
   * @pattern ^[A-Za-z0-9_]{3,30}$ must be 3–30 letters, digits or underscores
   * @example "alice_92"
   */
  username: string;
  email: Email;
  /**
   * 12–256 characters; must not contain the username.
   * @minLength 12
   * @maxLength 256
   */
  password: string;
}

/**
 * An email address.
 * @pattern ^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$ must be an email address, such as alice@example.com
 * @maxLength 254 must be at most 254 characters long
 * @example "alice@example.com"
 */
export type Email = string;

/**
 * A 6-digit TOTP code or a backup code (xxxxx-xxxxx).
 * @pattern ^(\d{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$ must be a 6-digit code or a backup code (xxxxx-xxxxx)
 */
export type TotpOrBackupCode = string;

export interface LoginRequest {
  /**
   * Username or email.
   * @minLength 1
   * @maxLength 254
   */
  login: string;
  /**
   * @minLength 1
   * @maxLength 256
   */
  password: string;
}

export interface RefreshRequest {
  /**
   * @minLength 10
   * @maxLength 200
   */
  refreshToken: string;
}

/** The signed-in account, as a token answer carries it. */
export interface SignedInUser {
  /** @format uuid */
  id: string;
  username: string;
  email: string;
  /** Whether the address was confirmed from its mailbox. */
  emailVerified: boolean;
  roles: string[];
}

export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  /** Seconds until the refresh token expires (if not rotated first). */
  refreshExpiresIn: number;
  user: SignedInUser;
}

/** A new account, signed in at once (in cookie mode the refresh token is a cookie, as for login). */
export interface RegisteredAccount extends TokenResponse {
  /** @format uuid */
  id: string;
  username: string;
  email: string;
  createdAt: Date;
}

/** The password or a current second-factor code (TOTP or backup code): one of the two. */
export interface ReauthenticateRequest {
  /**
   * @minLength 1
   * @maxLength 256
   */
  password?: string;
  code?: TotpOrBackupCode;
}

export interface ReauthenticatedResponse {
  /** A new access token of the same session, with the new `auth_time`. */
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  /** When the session re-authenticated, seconds since the epoch. */
  authTime: number;
}

export interface PasswordChangeRequest {
  /**
   * @minLength 1
   * @maxLength 256
   */
  currentPassword: string;
  /**
   * 12–256 characters; must not contain the username.
   * @minLength 12
   * @maxLength 256
   */
  newPassword: string;
}

export interface PasswordChanged {
  /** How many other sessions were signed out (this one stays). */
  sessionsRevoked: number;
}

export interface PasswordResetRequest {
  email: Email;
}

/**
 * The token of a mailed link (password reset, email verification).
 * @pattern ^(pr|ev)_[A-Za-z0-9_-]{43}$ must be the token from the mail
 */
export type MailToken = string;

export interface PasswordResetConfirm {
  token: MailToken;
  /**
   * 12–256 characters; must not contain the username.
   * @minLength 12
   * @maxLength 256
   */
  newPassword: string;
}

export interface MailAccepted {
  message: string;
}

export interface SessionInfo {
  /** @format uuid */
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  userAgent: string | null;
  /** The coarse network the session was last used from (an IPv4 /24 or IPv6 /48), never the full address. */
  ipPrefix: string | null;
  /** Whether this is the session of the presented access token. */
  current: boolean;
}

export interface SessionList {
  /** The live sessions, most recently used first (at most 100). */
  items: SessionInfo[];
}

export interface SessionsRevoked {
  revoked: number;
}

/** The new address, plus the password or a second-factor code unless the session signed in within 5 minutes. */
export interface EmailChangeRequest {
  email: Email;
  /**
   * @minLength 1
   * @maxLength 256
   */
  password?: string;
  code?: TotpOrBackupCode;
}

export interface UsernameChange {
  /**
   * 3–30 letters, digits or underscores.
   * @pattern ^[A-Za-z0-9_]{3,30}$ must be 3–30 letters, digits or underscores
   * @example "alice_92"
   */
  username: string;
}

export interface EmailVerifyRequest {
  token: MailToken;
}

export interface EmailVerified {
  /** The account's (now verified) address. */
  email: string;
}

export interface VerifiedToken {
  /** @format uuid */
  sub: string;
  roles: string[];
  /** Session (refresh-token family) id. */
  sid: string;
  jti: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export interface MfaRequiredResponse {
  /** The password was right; finish with POST /api/v1/auth/login/mfa. */
  mfaRequired: true;
  /** Single-purpose token for login/mfa, valid `expiresIn` seconds. */
  mfaToken: string;
  expiresIn: number;
}

export interface LoginMfaRequest {
  /**
   * @minLength 10
   * @maxLength 200
   */
  mfaToken: string;
  /**
   * A 6-digit TOTP code or a backup code (xxxxx-xxxxx).
   */
  code: TotpOrBackupCode;
}

export interface CodeRequest {
  email: Email;
}

export interface CodeRequestAccepted {
  message: string;
}

export interface CodeLoginRequest {
  email: Email;
  /** @pattern ^\d{6}$ must be the 6-digit code from the email */
  code: string;
}

export interface TwoFactorCode {
  /**
   * A 6-digit TOTP code (or, to disable, a backup code).
   */
  code: TotpOrBackupCode;
}

/** The account's password again: enrolling a second factor needs more than an access token. */
export interface TwoFactorSetupRequest {
  /**
   * @minLength 1
   * @maxLength 256
   */
  password: string;
}

/** Turning the second factor off needs a code and the password. */
export interface TwoFactorDisableRequest {
  /**
   * A 6-digit TOTP code or a backup code.
   * @pattern ^(\d{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$
   */
  code: string;
  /**
   * @minLength 1
   * @maxLength 256
   */
  password: string;
}

export interface TwoFactorSetupResponse {
  /** Base32 secret, for manual entry. */
  secret: string;
  otpauthUri: string;
  /** The otpauth URI as an SVG QR code. */
  qrSvg: string;
}

export interface BackupCodesResponse {
  /** Ten one-time backup codes; shown only now. */
  backupCodes: string[];
}

export interface TwoFactorStatus {
  enabled: boolean;
  backupCodesRemaining: number;
}
