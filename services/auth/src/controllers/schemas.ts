/**
 * Request and response shapes of the auth API. tsoa turns these (with their JSDoc rules) into the
 * OpenAPI schemas and the request validation, so the contract and the checks cannot drift.
 */
export interface RegisterRequest {
  /**
   * 3–30 letters, digits or underscores.
   * @pattern ^[A-Za-z0-9_]{3,30}$
   * @example "alice_92"
   */
  username: string;
  /**
   * @pattern ^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$
   * @maxLength 254
   * @example "alice@example.com"
   */
  email: string;
  /**
   * 12–256 characters; must not contain the username.
   * @minLength 12
   * @maxLength 256
   */
  password: string;
}

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

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { field: string; message: string }[];
}
