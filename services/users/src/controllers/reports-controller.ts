import { Body, Controller, Post, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { caller, type ProblemDetails } from '@agora/mesh';
import type { UsersDeps } from '../wiring.js';
import type { NewReport, Report } from './schemas.js';

/** Reporting a post, comment or user to the admins (their queue: admin-reports-controller.ts). */
@Route('api/v1/reports')
@Tags('reports')
@Security('jwt')
@Response<ProblemDetails>(400, 'Invalid request')
@Response<ProblemDetails>(401, 'Missing or invalid token, or the account was deleted')
export class ReportsController extends Controller {
  constructor(private readonly deps: UsersDeps) {
    super();
  }

  /**
   * Reports a post, comment or user, with a reason and an optional note (≤ 1000 characters). One
   * open report per reporter and target; reporting yourself is a 400, something that does not
   * exist a 404.
   * @summary Report content or a user
   */
  @Post()
  @SuccessResponse(201, 'Reported')
  @Response<ProblemDetails>(404, 'No such user, post or comment')
  @Response<ProblemDetails>(409, 'You already have an open report about this')
  @Response<ProblemDetails>(415, 'Body is not JSON')
  @Response<ProblemDetails>(503, 'posts is unavailable to confirm the post or comment; nothing stored')
  public async report(@Body() body: NewReport, @Request() req: KoaRequest): Promise<Report> {
    const me = await this.deps.profiles.ensure(caller(req));
    const report = await this.deps.reports.create(me.id, body);
    this.setStatus(201);
    return report;
  }
}
