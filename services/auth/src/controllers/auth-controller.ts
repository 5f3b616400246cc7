import { Body, Controller, Get, Post, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { caller, type ProblemDetails } from '@agora/mesh';
import type { AuthDeps } from '../wiring.js';
import type {
  CodeLoginRequest,
  CodeRequest,
  CodeRequestAccepted,
  LoginMfaRequest,
  LoginRequest,
  MfaRequiredResponse,
  ReauthenticatedResponse,
  ReauthenticateRequest,
  RefreshRequest,
  RegisteredAccount,
  RegisterRequest,
  TokenResponse,
  VerifiedToken,
} from './schemas.js';

@Route('api/v1/auth')
@Tags('auth')
@Response<ProblemDetails>(400, 'Invalid request')
@Response<ProblemDetails>(413, 'Body too large')
@Response<ProblemDetails>(415, 'Body is not JSON')
export class AuthController extends Controller {
  constructor(private readonly deps: AuthDeps) {
    super();
  }

  /**
   * Creates an account and signs it in at once (tokens as login answers them; a cookie in cookie
   * mode), and mails a link to verify the address. The password is stored as an argon2id hash.
   * Limited to 3 per hour per IP. An email that already has an account gets the same answer, with
   * tokens that sign nobody in (its owner is mailed instead).
   * @summary Create an account and sign in
   */
  @Post('register')
  @SuccessResponse(201, 'Created')
  @Response<ProblemDetails>(409, 'Username already registered')
  @Response<ProblemDetails>(429, 'Too many sign-ups from this address')
  public async register(@Body() body: RegisterRequest, @Request() req: KoaRequest): Promise<RegisteredAccount> {
    const account = await this.deps.auth.register(body, req.ip, req.get('user-agent'));
    this.setStatus(201);
    return account;
  }

  /**
   * Exchanges credentials for an access token and a refresh token (a new session), or — when the
   * account has two-factor authentication on — for an `mfaToken` to finish with `login/mfa`.
   * Limited to 5 failed attempts per 15 minutes per account (username and email together) and 20 per
   * client address.
   * @summary Sign in with a password
   */
  @Post('login')
  @Response<ProblemDetails>(401, 'Wrong credentials')
  @Response<ProblemDetails>(403, 'Right password, suspended account')
  @Response<ProblemDetails>(429, 'Too many failed attempts')
  public async login(@Body() body: LoginRequest, @Request() req: KoaRequest): Promise<TokenResponse | MfaRequiredResponse> {
    return this.deps.auth.login(body.login, body.password, req.ip, req.get('user-agent'));
  }

  /**
   * Second step of a two-factor sign-in: the mfaToken plus a TOTP code or a backup code.
   * @summary Finish a two-factor sign-in
   */
  @Post('login/mfa')
  @Response<ProblemDetails>(400, 'Wrong code')
  @Response<ProblemDetails>(401, 'Expired, used or exhausted mfaToken')
  @Response<ProblemDetails>(429, 'Too many wrong second-factor codes for this account')
  public async loginMfa(@Body() body: LoginMfaRequest, @Request() req: KoaRequest): Promise<TokenResponse> {
    return this.deps.auth.loginMfa(body.mfaToken, body.code, req.ip, req.get('user-agent'));
  }

  /**
   * Passwordless sign-in, step 1: mails a 6-digit code (valid 10 minutes, single use) if the address
   * belongs to an account. Always 202, so it does not reveal which addresses have accounts.
   * @summary Mail a one-time sign-in code
   */
  @Post('login/code/request')
  @SuccessResponse(202, 'Accepted')
  @Response<ProblemDetails>(429, 'Too many code requests')
  public async requestCode(@Body() body: CodeRequest, @Request() req: KoaRequest): Promise<CodeRequestAccepted> {
    await this.deps.auth.requestCode(body.email, req.ip);
    this.setStatus(202);
    return { message: 'If this address belongs to an account, a sign-in code is on its way. It expires in 10 minutes.' };
  }

  /**
   * Passwordless sign-in, step 2: the mailed code for tokens (or an mfaToken when 2FA is on).
   * @summary Sign in with a mailed code
   */
  @Post('login/code')
  @Response<ProblemDetails>(401, 'Wrong, expired or used code')
  public async loginWithCode(@Body() body: CodeLoginRequest, @Request() req: KoaRequest): Promise<TokenResponse | MfaRequiredResponse> {
    return this.deps.auth.loginWithCode(body.email, body.code, req.ip, req.get('user-agent'));
  }

  /**
   * Rotates the refresh token. Reusing an already rotated token revokes the whole session.
   * @summary Rotate the refresh token
   */
  @Post('refresh')
  @Response<ProblemDetails>(401, 'Invalid, expired, revoked or reused refresh token')
  public async refresh(@Body() body: RefreshRequest, @Request() req: KoaRequest): Promise<TokenResponse> {
    return this.deps.auth.refresh(body.refreshToken, req.ip);
  }

  /**
   * Ends the session the refresh token belongs to. Idempotent.
   * @summary Sign out (end the session)
   */
  @Post('logout')
  @SuccessResponse(204, 'Logged out')
  public async logout(@Body() body: RefreshRequest, @Request() req: KoaRequest): Promise<void> {
    await this.deps.auth.logout(body.refreshToken, req.ip);
    this.setStatus(204);
  }

  /**
   * Proves the caller again with the password or a current second-factor code: the session counts
   * as freshly signed in for 5 minutes (changing the email address needs that, or the proof with the
   * request), and the answer is an access token whose `auth_time` says so.
   * @summary Re-authenticate the current session
   */
  @Post('reauthenticate')
  @Security('jwt')
  @Response<ProblemDetails>(401, 'Missing or invalid token, or the session has ended')
  @Response<ProblemDetails>(403, 'Wrong password or code')
  @Response<ProblemDetails>(429, 'Too many failed attempts')
  public async reauthenticate(@Body() body: ReauthenticateRequest, @Request() req: KoaRequest): Promise<ReauthenticatedResponse> {
    const p = caller(req);
    return this.deps.auth.reauthenticate(p.userId, p.sessionId, body, req.ip);
  }

  /**
   * The verified claims of the presented access token.
   * @summary Claims of the presented access token
   */
  @Get('verify')
  @Security('jwt')
  @Response<ProblemDetails>(401, 'Missing or invalid token')
  public async verify(@Request() req: KoaRequest): Promise<VerifiedToken> {
    const p = caller(req);
    return { sub: p.userId, roles: p.roles, sid: p.sessionId, jti: p.tokenId, exp: p.expiresAt };
  }
}
