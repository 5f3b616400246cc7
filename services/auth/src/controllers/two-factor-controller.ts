import { Body, Controller, Get, Post, Request, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { caller, type ProblemDetails } from '@agora/mesh';
import type { AuthDeps } from '../wiring.js';
import type {
  BackupCodesResponse,
  TwoFactorCode,
  TwoFactorDisableRequest,
  TwoFactorSetupRequest,
  TwoFactorSetupResponse,
  TwoFactorStatus,
} from './schemas.js';

/** TOTP second factor of the signed-in user. */
@Route('api/v1/auth/2fa')
@Tags('two-factor')
@Security('jwt')
@Response<ProblemDetails>(401, 'Missing or invalid token')
export class TwoFactorController extends Controller {
  constructor(private readonly deps: AuthDeps) {
    super();
  }

  /**
   * Starts setup: a new secret, its otpauth URI and QR code. Confirm with verify-setup. Needs the
   * password again (an access token alone must not enrol someone else's authenticator).
   * @summary Start enrolling a second factor
   */
  @Post('setup')
  @Response<ProblemDetails>(403, 'Wrong password')
  @Response<ProblemDetails>(409, 'Already on')
  @Response<ProblemDetails>(429, 'Too many failed attempts')
  public async setup(@Body() body: TwoFactorSetupRequest, @Request() req: KoaRequest): Promise<TwoFactorSetupResponse> {
    const user = caller(req);
    await this.deps.auth.confirmPassword(user.userId, body.password, req.ip);
    const result = await this.deps.twoFactor.setup(user.userId, user.username ?? user.userId);
    await this.deps.audit.record({ action: 'two_factor_setup_started', outcome: 'success', actorId: user.userId, targetId: user.userId, ip: req.ip });
    return result;
  }

  /**
   * Confirms setup with a current code; turns 2FA on and returns ten one-time backup codes.
   * @summary Confirm the second factor
   */
  @Post('verify-setup')
  @Response<ProblemDetails>(400, 'Wrong code')
  @Response<ProblemDetails>(409, 'No setup in progress, or already on')
  @Response<ProblemDetails>(429, 'Too many wrong codes')
  public async verifySetup(@Body() body: TwoFactorCode, @Request() req: KoaRequest): Promise<BackupCodesResponse> {
    const user = caller(req);
    const backupCodes = await this.deps.twoFactor.verifySetup(user.userId, body.code, req.ip);
    await this.deps.audit.record({ action: 'two_factor_enabled', outcome: 'success', actorId: user.userId, targetId: user.userId, ip: req.ip });
    return { backupCodes };
  }

  /**
   * Turns 2FA off; needs the password and a current TOTP code or a backup code.
   * @summary Turn the second factor off
   */
  @Post('disable')
  @Response<ProblemDetails>(400, 'Wrong code')
  @Response<ProblemDetails>(403, 'Wrong password')
  @Response<ProblemDetails>(409, 'Not on')
  @Response<ProblemDetails>(429, 'Too many failed attempts')
  public async disable(@Body() body: TwoFactorDisableRequest, @Request() req: KoaRequest): Promise<TwoFactorStatus> {
    const user = caller(req);
    await this.deps.auth.confirmPassword(user.userId, body.password, req.ip);
    await this.deps.twoFactor.disable(user.userId, body.code, req.ip);
    await this.deps.audit.record({ action: 'two_factor_disabled', outcome: 'success', actorId: user.userId, targetId: user.userId, ip: req.ip });
    return this.deps.twoFactor.status(user.userId);
  }

  /**
   * Whether the caller's account has a second factor turned on, and how many backup codes are left.
   * @summary Whether the second factor is on
   */
  @Get('status')
  public async status(@Request() req: KoaRequest): Promise<TwoFactorStatus> {
    return this.deps.twoFactor.status(caller(req).userId);
  }
}
