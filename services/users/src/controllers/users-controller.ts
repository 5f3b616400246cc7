import { Body, Controller, Delete, Get, Patch, Path, Post, Query, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { caller, optionalCaller, type ProblemDetails, type UserId, type Cursor, type PageLimit } from '@agora/mesh';
import type { Profile } from '../models/index.js';
import { toProfile } from '../domain/profiles.js';
import type { UsersDeps } from '../wiring.js';
import type { FollowPage, UpdateProfileRequest, UserProfile, Username } from './schemas.js';

/**
 * Profiles and the follow graph. Every operation needs a signed-in user, except reading one profile
 * (by id or username), which anyone may do so a profile link can be shared. Every mutation acts on the caller (`me`, or the caller's own
 * follow edge), so no operation can change another user's data by construction.
 */
@Route('api/v1/users')
@Tags('users')
@Security('jwt')
@Response<ProblemDetails>(400, 'Invalid request')
@Response<ProblemDetails>(401, 'Missing or invalid token, or the account was deleted')
export class UsersController extends Controller {
  constructor(private readonly deps: UsersDeps) {
    super();
  }

  /** Every operation goes through here: the caller's profile, created on first use from the token. */
  private me(req: KoaRequest): Promise<Profile> {
    return this.deps.profiles.ensure(caller(req));
  }

  /**
   * Your profile (created from your token on your first request to users).
   * @summary Your profile
   */
  @Get('me')
  public async getMe(@Request() req: KoaRequest): Promise<UserProfile> {
    return toProfile(await this.me(req));
  }

  /**
   * Changes your display name, bio or avatar; only the fields present change. An avatar must be an
   * image you uploaded through media, with its upload complete.
   * @summary Change your profile
   */
  @Patch('me')
  @Response<ProblemDetails>(403, 'The avatar media belongs to someone else')
  @Response<ProblemDetails>(415, 'Body is not JSON')
  @Response<ProblemDetails>(503, 'media is unavailable')
  public async updateMe(@Body() body: UpdateProfileRequest, @Request() req: KoaRequest): Promise<UserProfile> {
    return this.deps.profiles.update(await this.me(req), body);
  }

  /**
   * Deletes you: your account at auth (every session revoked, sign-in disabled), then your profile
   * and every follow in both directions. If auth cannot be reached, nothing is deleted (503; retry).
   * @summary Delete your account
   */
  @Delete('me')
  @SuccessResponse(204, 'Deleted')
  @Response<ProblemDetails>(503, 'auth is unavailable; nothing was deleted')
  public async deleteMe(@Request() req: KoaRequest): Promise<void> {
    await this.deps.profiles.deleteMe(await this.me(req));
    this.setStatus(204);
  }

  /**
   * A profile by username (case-insensitive). Public: readable without a token (a shared link); a
   * token that is sent must be valid.
   * @summary A profile by username
   */
  @Get('by-username/{username}')
  @Security('jwt')
  @Security({})
  @Response<ProblemDetails>(404, 'No such user')
  public async getByUsername(@Path() username: Username, @Request() req: KoaRequest): Promise<UserProfile> {
    if (optionalCaller(req)) await this.me(req);
    return this.deps.profiles.byUsername(username);
  }

  /**
   * A profile by id. Public: readable without a token (a shared link); a token that is sent must be
   * valid.
   * @summary A profile by id
   */
  @Get('{id}')
  @Security('jwt')
  @Security({})
  @Response<ProblemDetails>(404, 'No such user')
  public async getById(@Path() id: UserId, @Request() req: KoaRequest): Promise<UserProfile> {
    if (optionalCaller(req)) await this.me(req);
    return this.deps.profiles.byId(id.toLowerCase());
  }

  /**
   * Follows the user. Idempotent; following yourself is a 400.
   * @summary Follow a user
   */
  @Post('{id}/follow')
  @SuccessResponse(204, 'Following')
  @Response<ProblemDetails>(404, 'No such user')
  @Response<ProblemDetails>(409, 'You follow the most accounts allowed (5000)')
  public async follow(@Path() id: UserId, @Request() req: KoaRequest): Promise<void> {
    const me = await this.me(req);
    await this.deps.follows.follow(me.id, id.toLowerCase());
    this.setStatus(204);
  }

  /**
   * Stops following the user. Idempotent.
   * @summary Stop following a user
   */
  @Delete('{id}/follow')
  @SuccessResponse(204, 'Not following')
  @Response<ProblemDetails>(404, 'No such user')
  public async unfollow(@Path() id: UserId, @Request() req: KoaRequest): Promise<void> {
    const me = await this.me(req);
    await this.deps.follows.unfollow(me.id, id.toLowerCase());
    this.setStatus(204);
  }

  /**
   * Who follows the user, newest follow first.
   * @summary A user's followers
   */
  @Get('{id}/followers')
  @Response<ProblemDetails>(404, 'No such user')
  public async followers(@Path() id: UserId, @Request() req: KoaRequest, @Query() limit?: PageLimit, @Query() cursor?: Cursor): Promise<FollowPage> {
    await this.me(req);
    return this.deps.follows.followers(id.toLowerCase(), limit, cursor);
  }

  /**
   * Whom the user follows, newest follow first.
   * @summary Whom a user follows
   */
  @Get('{id}/following')
  @Response<ProblemDetails>(404, 'No such user')
  public async following(@Path() id: UserId, @Request() req: KoaRequest, @Query() limit?: PageLimit, @Query() cursor?: Cursor): Promise<FollowPage> {
    await this.me(req);
    return this.deps.follows.following(id.toLowerCase(), limit, cursor);
  }
}
