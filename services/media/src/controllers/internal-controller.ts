import { Controller, Get, Path, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { MediaId, ProblemDetails } from '@agora/mesh';
import type { MediaDeps } from '../wiring.js';
import type { MediaReference } from './schemas.js';

/** Operations other workloads call through the mesh; never routed by the ingress. */
@Route('internal/v1/media')
@Tags('internal')
export class InternalController extends Controller {
  constructor(private readonly deps: MediaDeps) {
    super();
  }

  /**
   * Owner, state, type, pixel size and alt text of a media object, for posts and users: only the
   * uploader may attach a media id, and only once it is `uploaded`. 404 for an unknown id, 400 for a
   * malformed one.
   * @param id media id
   * @summary Owner, state and type of a media object (internal)
   */
  @Get('{id}')
  @Security('mesh', ['posts', 'users'])
  @Response<ProblemDetails>(401, 'Not a mesh workload')
  @Response<ProblemDetails>(403, 'Workload not allowed')
  @Response<ProblemDetails>(404, 'No such media')
  public async getMediaReference(@Path() id: MediaId): Promise<MediaReference> {
    return this.deps.media.reference(id);
  }
}
