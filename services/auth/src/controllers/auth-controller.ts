import { Body, Controller, Get, Post, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { userOf } from '@agora/mesh';
import type { AuthDeps } from '../wiring.js';
import type { Account, LoginRequest, ProblemDetails, RefreshRequest, RegisterRequest, TokenResponse, VerifiedToken } from './schemas.js';

@Route('api/v1/auth')
@Tags('auth')
@Response<ProblemDetails>(400, 'Invalid request')
@Response<ProblemDetails>(413, 'Body too large')
@Response<ProblemDetails>(415, 'Body is not JSON')
export class AuthController extends Controller {
  constructor(private readonly deps: AuthDeps) {
    super();
  }

  /** Creates an account. The password is stored as an argon2id hash. */
  @Post('register')
  @SuccessResponse(201, 'Created')
  @Response<ProblemDetails>(409, 'Username or email already registered')
  public async register(@Body() body: RegisterRequest, @Request() req: KoaRequest): Promise<Account> {
    const account = await this.deps.auth.register(body, req.ip);
    this.setStatus(201);
    return account;
  }

  /** Exchanges credentials for an access token and a refresh token (a new session). */
  @Post('login')
  @Response<ProblemDetails>(401, 'Wrong credentials')
  public async login(@Body() body: LoginRequest, @Request() req: KoaRequest): Promise<TokenResponse> {
    return this.deps.auth.login(body.login, body.password, req.ip);
  }

  /** Rotates the refresh token. Reusing an already rotated token revokes the whole session. */
  @Post('refresh')
  @Response<ProblemDetails>(401, 'Invalid, expired, revoked or reused refresh token')
  public async refresh(@Body() body: RefreshRequest, @Request() req: KoaRequest): Promise<TokenResponse> {
    return this.deps.auth.refresh(body.refreshToken, req.ip);
  }

  /** Ends the session the refresh token belongs to. Idempotent. */
  @Post('logout')
  @SuccessResponse(204, 'Logged out')
  public async logout(@Body() body: RefreshRequest, @Request() req: KoaRequest): Promise<void> {
    await this.deps.auth.logout(body.refreshToken, req.ip);
    this.setStatus(204);
  }

  /** The verified claims of the presented access token. */
  @Get('verify')
  @Security('jwt')
  @Response<ProblemDetails>(401, 'Missing or invalid token')
  public async verify(@Request() req: KoaRequest): Promise<VerifiedToken> {
    const p = userOf(req as unknown as { user?: unknown });
    return { sub: p.userId, roles: p.roles, sid: p.sessionId, jti: p.tokenId, exp: p.expiresAt };
  }
}
