import { Body, Controller, Post, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { caller, type ProblemDetails } from '@agora/mesh';
import type { AuthDeps } from '../wiring.js';
import type { EmailChangeRequest, EmailVerified, EmailVerifyRequest, MailAccepted } from './schemas.js';

/** The account's email address: verification and change. */
@Route('api/v1/auth/email')
@Tags('email')
@Response<ProblemDetails>(400, 'Invalid request')
@Response<ProblemDetails>(413, 'Body too large')
@Response<ProblemDetails>(415, 'Body is not JSON')
export class EmailController extends Controller {
  constructor(private readonly deps: AuthDeps) {
    super();
  }

  /**
   * Starts a change of address: mails a confirmation link to the new address (the old one is told
   * once it is confirmed). Needs the password or a second-factor code in the request unless this
   * session signed in (or re-authenticated) within 5 minutes.
   * @summary Change the email address
   */
  @Post()
  @Security('jwt')
  @SuccessResponse(202, 'Accepted')
  @Response<ProblemDetails>(401, 'Missing or invalid token')
  @Response<ProblemDetails>(403, 'Re-authentication required, or wrong password or code')
  @Response<ProblemDetails>(429, 'Too many attempts or mails')
  public async changeEmail(@Body() body: EmailChangeRequest, @Request() req: KoaRequest): Promise<MailAccepted> {
    const p = caller(req);
    await this.deps.emails.requestChange(p.userId, p.sessionId, body.email, { password: body.password, code: body.code }, req.ip);
    this.setStatus(202);
    return { message: 'A confirmation link is on its way to the new address. The address changes when it is opened.' };
  }

  /**
   * Mails a new verification link for the account's unverified address.
   * @summary Send a new verification mail
   */
  @Post('verification')
  @Security('jwt')
  @SuccessResponse(202, 'Accepted')
  @Response<ProblemDetails>(401, 'Missing or invalid token')
  @Response<ProblemDetails>(409, 'Already verified')
  @Response<ProblemDetails>(429, 'Too many mails')
  public async resendEmailVerification(@Request() req: KoaRequest): Promise<MailAccepted> {
    await this.deps.emails.resendVerification(caller(req).userId, req.ip);
    this.setStatus(202);
    return { message: 'A verification link is on its way. It expires in 24 hours.' };
  }

  /**
   * Opens a mailed link: verifies the address, or completes a change of address.
   * @summary Confirm an email address from a mailed link
   */
  @Post('verify')
  @Response<ProblemDetails>(409, 'Another account took the address meanwhile')
  public async verifyEmail(@Body() body: EmailVerifyRequest, @Request() req: KoaRequest): Promise<EmailVerified> {
    return this.deps.emails.confirm(body.token, req.ip);
  }
}
