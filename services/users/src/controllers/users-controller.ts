import {
  Body,
  Controller,
  Delete,
  Get,
  Patch,
  Path,
  Post,
  Put,
  Query,
  Request,
  Response,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import {
  assertRecentSignIn,
  caller,
  callerId,
  optionalCaller,
  problems,
  type ProblemDetails,
  type RetryAfterSeconds,
  type UserId,
  type Cursor,
  type PageLimit,
} from '@agora/mesh';
import type { Profile } from '../models/index.js';
import { ownProfile } from '../domain/profiles.js';
import { parseIdList } from '../domain/public-users.js';
import type { UsersDeps } from '../wiring.js';
import type {
  FollowPage,
  FollowState,
  PublicUserList,
  RelatedUserPage,
  Relationship,
  SuggestionLimit,
  UpdateProfileRequest,
  UserIdList,
  UserProfile,
  Username,
} from './schemas.js';

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
    return ownProfile(await this.me(req));
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
   * Needs a recent sign-in: the token's `auth_time` within the last 5 minutes, else a 403 with
   * `reauthenticationRequired: true` (call `POST /api/v1/auth/reauthenticate`, retry with its token).
   * @summary Delete your account
   */
  @Delete('me')
  @SuccessResponse(204, 'Deleted')
  @Response<ProblemDetails>(403, 'No sign-in within the last 5 minutes (reauthenticationRequired: true); nothing was deleted')
  @Response<ProblemDetails>(503, 'auth is unavailable; nothing was deleted')
  public async deleteMe(@Request() req: KoaRequest): Promise<void> {
    // Before anything else: a stolen or long-lived token must not be enough to erase the account.
    assertRecentSignIn(caller(req));
    await this.deps.profiles.deleteMe(await this.me(req));
    this.setStatus(204);
  }

  /**
   * The users you block, newest block first.
   * @summary Users you block
   */
  @Get('me/blocks')
  public async myBlocks(@Request() req: KoaRequest, @Query() limit?: PageLimit, @Query() cursor?: Cursor): Promise<RelatedUserPage> {
    const me = await this.me(req);
    return this.deps.relationships.list('block', me.id, limit, cursor);
  }

  /**
   * The users you mute, newest mute first.
   * @summary Users you mute
   */
  @Get('me/mutes')
  public async myMutes(@Request() req: KoaRequest, @Query() limit?: PageLimit, @Query() cursor?: Cursor): Promise<RelatedUserPage> {
    const me = await this.me(req);
    return this.deps.relationships.list('mute', me.id, limit, cursor);
  }

  /**
   * A profile by username (case-insensitive), with whether you follow each other. Public: readable
   * without a token (a shared link); a token that is sent must be valid.
   * @summary A profile by username
   */
  @Get('by-username/{username}')
  @Security('jwt')
  @Security({})
  @Response<ProblemDetails>(404, 'No such user')
  public async getByUsername(@Path() username: Username, @Request() req: KoaRequest): Promise<UserProfile> {
    const me = optionalCaller(req) ? await this.me(req) : undefined;
    return this.deps.profiles.byUsername(username, me?.id ?? null);
  }

  /**
   * Public fields of up to 100 users at once (`ids=a,b,…`), in the order asked; ids without a
   * profile are simply absent. Public like a single profile: readable without a token, and a token
   * that is sent must be valid. A malformed id is a 400 naming its position (`ids[2]`).
   * @summary Several users by id
   * @param ids comma-separated user ids, at most 100
   */
  @Get()
  @Security('jwt')
  @Security({})
  public async byIds(@Query() ids: UserIdList, @Request() req: KoaRequest): Promise<PublicUserList> {
    if (optionalCaller(req)) await this.me(req);
    const parsed = parseIdList(ids);
    if ('errors' in parsed) throw problems.validation('The ids are not a list of at most 100 user ids.', parsed.errors);
    return { items: await this.deps.publicUsers.byIds(parsed.ids) };
  }

  // suggested comes before `{id}`: routes match in the order they are declared here.

  /**
   * People you might follow: the most followed accounts you do not follow yet (never you, never a
   * suspended account, never anyone you block or who blocks you), most followed first.
   * @summary People to follow
   * @param limit how many (1–50, default 10)
   */
  @Get('suggested')
  public async suggested(@Request() req: KoaRequest, @Query() limit?: SuggestionLimit): Promise<PublicUserList> {
    const me = await this.me(req);
    return { items: await this.deps.publicUsers.suggestedFor(me.id, limit ?? 10) };
  }

  /**
   * A profile by id, with whether you follow each other. Public: readable without a token (a shared
   * link); a token that is sent must be valid.
   * @summary A profile by id
   */
  @Get('{id}')
  @Security('jwt')
  @Security({})
  @Response<ProblemDetails>(404, 'No such user')
  public async getById(@Path() id: UserId, @Request() req: KoaRequest): Promise<UserProfile> {
    const me = optionalCaller(req) ? await this.me(req) : undefined;
    return this.deps.profiles.byId(id.toLowerCase(), me?.id ?? null);
  }

  /**
   * Follows the user and answers the relationship and their counts after it. Idempotent;
   * following yourself is a 400; a 403 when either of you blocks the other.
   * @summary Follow a user
   */
  @Post('{id}/follow')
  @SuccessResponse(200, 'Following')
  @Response<ProblemDetails>(403, 'You block this user, or this user blocks you')
  @Response<ProblemDetails>(404, 'No such user')
  @Response<ProblemDetails>(409, 'You follow the most accounts allowed (5000)')
  @Response<ProblemDetails, { 'Retry-After': RetryAfterSeconds }>(429, 'Too many follows from this account; see Retry-After (nothing was written)')
  public async follow(@Path() id: UserId, @Request() req: KoaRequest): Promise<FollowState> {
    // Before `me`: ensuring the profile may write it, and a refused follow writes nothing.
    await this.deps.limits.consume('follow', callerId(req));
    const me = await this.me(req);
    return this.deps.follows.follow(me.id, id.toLowerCase());
  }

  /**
   * Stops following the user and answers the relationship and their counts after it. Idempotent.
   * @summary Unfollow a user
   */
  @Delete('{id}/follow')
  @SuccessResponse(200, 'Not following')
  @Response<ProblemDetails>(404, 'No such user')
  public async unfollow(@Path() id: UserId, @Request() req: KoaRequest): Promise<FollowState> {
    const me = await this.me(req);
    return this.deps.follows.unfollow(me.id, id.toLowerCase());
  }

  /**
   * Blocks the user: the follows between you end (both ways), neither of you can follow the other,
   * they cannot comment on or like your posts, and you are left out of their search and suggestions.
   * Idempotent; blocking yourself is a 400.
   * @summary Block a user
   */
  @Put('{id}/block')
  @SuccessResponse(200, 'Blocking')
  @Response<ProblemDetails>(404, 'No such user')
  public async block(@Path() id: UserId, @Request() req: KoaRequest): Promise<Relationship> {
    const me = await this.me(req);
    return this.deps.relationships.set('block', me.id, id.toLowerCase(), true);
  }

  /**
   * Unblocks the user (follows removed by the block do not come back). Idempotent.
   * @summary Unblock a user
   */
  @Delete('{id}/block')
  @SuccessResponse(200, 'Not blocking')
  @Response<ProblemDetails>(404, 'No such user')
  public async unblock(@Path() id: UserId, @Request() req: KoaRequest): Promise<Relationship> {
    const me = await this.me(req);
    return this.deps.relationships.set('block', me.id, id.toLowerCase(), false);
  }

  /**
   * Mutes the user: their posts leave your feed and their actions your notifications; they are not
   * told and nothing else changes. Idempotent; muting yourself is a 400.
   * @summary Mute a user
   */
  @Put('{id}/mute')
  @SuccessResponse(200, 'Muting')
  @Response<ProblemDetails>(404, 'No such user')
  public async mute(@Path() id: UserId, @Request() req: KoaRequest): Promise<Relationship> {
    const me = await this.me(req);
    return this.deps.relationships.set('mute', me.id, id.toLowerCase(), true);
  }

  /**
   * Unmutes the user. Idempotent.
   * @summary Unmute a user
   */
  @Delete('{id}/mute')
  @SuccessResponse(200, 'Not muting')
  @Response<ProblemDetails>(404, 'No such user')
  public async unmute(@Path() id: UserId, @Request() req: KoaRequest): Promise<Relationship> {
    const me = await this.me(req);
    return this.deps.relationships.set('mute', me.id, id.toLowerCase(), false);
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
