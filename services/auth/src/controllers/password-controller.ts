import { Body, Controller, Post, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { caller, type ProblemDetails } from '@agora/mesh';
import type { AuthDeps } from '../wiring.js';
import type { MailAccepted, PasswordChanged, PasswordChangeRequest, PasswordResetConfirm, PasswordResetRequest } from './schemas.js';

/** Changing a password (signed in) and resetting a forgotten one (by mail). */
@Route('api/v1/auth/password')
@Tags('password')
@Response<ProblemDetails>(400, 'Invalid request')
@Response<ProblemDetails>(413, 'Body too large')
@Response<ProblemDetails>(415, 'Body is not JSON')
export class PasswordController extends Controller {
  constructor(private readonly deps: AuthDeps) {
    super();
  }

  /**
   * Sets a new password; the current one is required. Every other session of the account is signed
   * out (this one stays) and the account is mailed a notice.
   * @summary Change the password
   */
  @Post()
  @Security('jwt')
  @Response<ProblemDetails>(401, 'Missing or invalid token')
  @Response<ProblemDetails>(403, 'Wrong current password')
  @Response<ProblemDetails>(429, 'Too many failed attempts')
  public async changePassword(@Body() body: PasswordChangeRequest, @Request() req: KoaRequest): Promise<PasswordChanged> {
    const p = caller(req);
    const sessionsRevoked = await this.deps.passwords.change(p.userId, p.sessionId, body.currentPassword, body.newPassword, req.ip);
    return { sessionsRevoked };
  }

  /**
   * Mails a password-reset link (single use, 30 minutes) if the address belongs to an active
   * account. Always 202, so it does not reveal which addresses have accounts.
   * @summary Ask for a password-reset mail
   */
  @Post('reset/request')
  @SuccessResponse(202, 'Accepted')
  @Response<ProblemDetails>(429, 'Too many reset requests')
  public async requestPasswordReset(@Body() body: PasswordResetRequest, @Request() req: KoaRequest): Promise<MailAccepted> {
    await this.deps.passwords.requestReset(body.email, req.ip);
    this.setStatus(202);
    return { message: 'If this address belongs to an account, a reset link is on its way. It expires in 30 minutes.' };
  }

  /**
   * Sets a new password with the token of a reset mail, and signs out every session of the account.
   * @summary Reset the password from a mailed link
   */
  @Post('reset')
  @SuccessResponse(204, 'Password set')
  public async resetPassword(@Body() body: PasswordResetConfirm, @Request() req: KoaRequest): Promise<void> {
    await this.deps.passwords.reset(body.token, body.newPassword, req.ip);
    this.setStatus(204);
  }
}
