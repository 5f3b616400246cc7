import { Controller, Get, Path, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { ProblemDetails, Uuid } from '@agora/mesh';
import type { PostsDeps } from '../wiring.js';
import type { ContentKind, ReportableContent } from './schemas.js';

/** Operations other workloads call through the mesh; never routed by the ingress. */
@Route('internal/v1/posts/content')
@Tags('internal')
export class ContentController extends Controller {
  constructor(private readonly deps: PostsDeps) {
    super();
  }

  /**
   * A post or comment by id, with its author: users refuses a report of content that does not exist
   * (services/users/src/domain/reports.ts).
   * @param kind post or comment
   * @param id the post's or comment's id
   * @summary A reported post or comment (internal, for users)
   */
  @Get('{kind}/{id}')
  @Security('mesh', ['users'])
  @Response<ProblemDetails>(400, 'Not a kind or not a UUID')
  @Response<ProblemDetails>(401, 'No workload identity')
  @Response<ProblemDetails>(403, 'This workload may not call it')
  @Response<ProblemDetails>(404, 'No such post or comment')
  public async content(@Path() kind: ContentKind, @Path() id: Uuid): Promise<ReportableContent> {
    return this.deps.reportedContent.find(kind, id.toLowerCase());
  }
}
