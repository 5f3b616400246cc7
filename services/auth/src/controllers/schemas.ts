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

export interface Account {
  /** @format uuid */
  id: string;
  username: string;
  email: string;
  createdAt: Date;
}

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

export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  /** Seconds until the refresh token expires (if not rotated first). */
  refreshExpiresIn: number;
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
