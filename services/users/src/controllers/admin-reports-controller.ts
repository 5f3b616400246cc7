import { Body, Controller, Get, Path, Post, Query, Request, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { callerId, type Cursor, type PageLimit, type ProblemDetails, type Uuid } from '@agora/mesh';
import type { UsersDeps } from '../wiring.js';
import type { Report, ReportPage, ReportResolution } from './schemas.js';

/** The admins' queue of open reports: need the `admin` role claim (checked at the sidecar and here). */
@Route('api/v1/admin/reports')
@Tags('admin')
@Security('jwt', ['admin'])
@Response<ProblemDetails>(400, 'Invalid request')
@Response<ProblemDetails>(401, 'Missing or invalid token')
@Response<ProblemDetails>(403, 'Not an admin')
export class AdminReportsController extends Controller {
  constructor(private readonly deps: UsersDeps) {
    super();
  }

  /**
   * Open reports, oldest first.
   * @summary Open reports (admin)
   */
  @Get()
  public async listReports(@Query() limit?: PageLimit, @Query() cursor?: Cursor): Promise<ReportPage> {
    return this.deps.reports.queue(limit, cursor);
  }

  /**
   * Resolves an open report: `dismiss`; `suspend` the reported user (user reports only; through
   * the same path as the suspension operation, so auth must be reachable); or `remove_content`
   * (post and comment reports only: posts deletes it shortly after, through the `content.removed`
   * event, and audits it). An audit event of the resolution every time.
   * @param id the report's id
   * @summary Resolve a report (admin)
   */
  @Post('{id}/resolve')
  @Response<ProblemDetails>(404, 'No such report')
  @Response<ProblemDetails>(409, 'The report is already resolved')
  @Response<ProblemDetails>(415, 'Body is not JSON')
  @Response<ProblemDetails>(503, 'auth is unavailable; nothing changed')
  public async resolveReport(@Path() id: Uuid, @Body() body: ReportResolution, @Request() req: KoaRequest): Promise<Report> {
    return this.deps.reports.resolve(id.toLowerCase(), body, callerId(req), req.ip ?? null);
  }
}
