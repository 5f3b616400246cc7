import { Body, Controller, Delete, Get, Patch, Path, Post, Query, Request, Response, Route, Security, SuccessResponse, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import {
  callerId,
  optionalCallerId,
  problems,
  type ProblemDetails,
  type RetryAfterSeconds,
  type UserId,
  type Uuid,
  type Cursor,
  type PageLimit,
} from '@agora/mesh';
import type { PostsDeps } from '../wiring.js';
import type {
  Comment,
  CommentPage,
  CreateCommentRequest,
  CreatePostRequest,
  LikePage,
  LikeState,
  Post as PostView,
  PostPage,
  UpdateCommentRequest,
  UpdatePostRequest,
} from './schemas.js';

@Route('api/v1/posts')
@Tags('posts')
@Security('jwt')
@Response<ProblemDetails>(400, 'Invalid request (fields, ids, limit or cursor)')
@Response<ProblemDetails>(401, 'Missing or invalid token')
export class PostsController extends Controller {
  constructor(private readonly deps: PostsDeps) {
    super();
  }

  /**
   * An author's posts, newest first (keyset pagination). Without `authorId`, the caller's own posts.
   * Public: readable without a token when `authorId` is given (a shared link); a token that is sent
   * must be valid.
   * @param authorId whose posts; default: the caller (required without a token)
   * @summary An author's posts
   */
  @Get()
  @Security('jwt')
  @Security({})
  public async listPosts(
    @Request() req: KoaRequest,
    @Query() authorId?: UserId,
    @Query() limit?: PageLimit,
    @Query() cursor?: Cursor,
  ): Promise<PostPage> {
    const caller = optionalCallerId(req);
    const author = authorId?.toLowerCase() ?? caller;
    if (!author)
      throw problems.validation('Say whose posts: authorId is required without a token.', [
        { field: 'authorId', message: 'is required without a token' },
      ]);
    return this.deps.posts.listByAuthor(caller ?? null, author, limit, cursor);
  }

  /**
   * Publishes a post: 1–500 characters and up to 4 media ids the caller uploaded.
   * @summary Publish a post
   */
  @Post()
  @SuccessResponse(201, 'Created')
  @Response<ProblemDetails>(413, 'Body too large')
  @Response<ProblemDetails>(415, 'Body is not JSON')
  @Response<ProblemDetails, { 'Retry-After': RetryAfterSeconds }>(429, 'Too many posts from this account; see Retry-After (nothing was written)')
  @Response<ProblemDetails>(503, 'The media service is unavailable (nothing was written)')
  public async createPost(@Body() body: CreatePostRequest, @Request() req: KoaRequest): Promise<PostView> {
    await this.deps.limits.consume('post', callerId(req));
    const post = await this.deps.posts.create(callerId(req), body);
    this.setStatus(201);
    this.setHeader('Location', `/api/v1/posts/${post.id}`);
    return post;
  }

  /**
   * One post, with its author, media, counts and whether the caller likes it (never, without a
   * token). Public: readable without a token (a shared link); a token that is sent must be valid.
   * @summary A post
   */
  @Get('{id}')
  @Security('jwt')
  @Security({})
  @Response<ProblemDetails>(404, 'No such post')
  public async getPost(@Path() id: Uuid, @Request() req: KoaRequest): Promise<PostView> {
    return this.deps.posts.get(optionalCallerId(req) ?? null, id.toLowerCase());
  }

  /**
   * Edits a post (author only). `mediaIds` replaces the list; new ids must be the caller's uploads.
   * @summary Edit your post
   */
  @Patch('{id}')
  @Response<ProblemDetails>(403, 'Not the author')
  @Response<ProblemDetails>(404, 'No such post')
  @Response<ProblemDetails>(503, 'The media service is unavailable (nothing was changed)')
  public async updatePost(@Path() id: Uuid, @Body() body: UpdatePostRequest, @Request() req: KoaRequest): Promise<PostView> {
    return this.deps.posts.update(callerId(req), id.toLowerCase(), body);
  }

  /**
   * Deletes a post with its likes and comments (author only). Afterwards the post is 404.
   * @summary Delete your post
   */
  @Delete('{id}')
  @SuccessResponse(204, 'Deleted')
  @Response<ProblemDetails>(403, 'Not the author')
  @Response<ProblemDetails>(404, 'No such post')
  public async deletePost(@Path() id: Uuid, @Request() req: KoaRequest): Promise<void> {
    await this.deps.posts.remove(callerId(req), id.toLowerCase());
    this.setStatus(204);
  }

  /**
   * Likes a post. Idempotent: a second like changes nothing. 403 when the post's author blocks you.
   * @summary Like a post
   */
  @Post('{id}/like')
  @Response<ProblemDetails>(403, "The post's author blocks you")
  @Response<ProblemDetails>(404, 'No such post')
  @Response<ProblemDetails, { 'Retry-After': RetryAfterSeconds }>(429, 'Too many likes from this account; see Retry-After (nothing was written)')
  public async likePost(@Path() id: Uuid, @Request() req: KoaRequest): Promise<LikeState> {
    await this.deps.limits.consume('like', callerId(req));
    return this.deps.posts.like(callerId(req), id.toLowerCase());
  }

  /**
   * Withdraws the caller's like. Idempotent.
   * @summary Withdraw your like
   */
  @Delete('{id}/like')
  @Response<ProblemDetails>(404, 'No such post')
  public async unlikePost(@Path() id: Uuid, @Request() req: KoaRequest): Promise<LikeState> {
    return this.deps.posts.unlike(callerId(req), id.toLowerCase());
  }

  /**
   * Who liked a post (with each liker's name and avatar), newest like first.
   * @summary Who liked a post
   */
  @Get('{id}/likes')
  @Response<ProblemDetails>(404, 'No such post')
  public async listLikes(@Path() id: Uuid, @Query() limit?: PageLimit, @Query() cursor?: Cursor): Promise<LikePage> {
    return this.deps.posts.likes(id.toLowerCase(), limit, cursor);
  }

  /**
   * A post's comments, oldest first (conversation order).
   * @summary A post's comments
   */
  @Get('{id}/comments')
  @Response<ProblemDetails>(404, 'No such post')
  public async listComments(@Path() id: Uuid, @Query() limit?: PageLimit, @Query() cursor?: Cursor): Promise<CommentPage> {
    return this.deps.comments.list(id.toLowerCase(), limit, cursor);
  }

  /**
   * Comments on a post (1–300 characters). 403 when the post's author blocks you.
   * @summary Comment on a post
   */
  @Post('{id}/comments')
  @SuccessResponse(201, 'Created')
  @Response<ProblemDetails>(403, "The post's author blocks you")
  @Response<ProblemDetails>(404, 'No such post')
  @Response<ProblemDetails>(415, 'Body is not JSON')
  @Response<ProblemDetails, { 'Retry-After': RetryAfterSeconds }>(429, 'Too many comments from this account; see Retry-After (nothing was written)')
  public async createComment(@Path() id: Uuid, @Body() body: CreateCommentRequest, @Request() req: KoaRequest): Promise<Comment> {
    await this.deps.limits.consume('comment', callerId(req));
    const comment = await this.deps.comments.add(callerId(req), id.toLowerCase(), body.text);
    this.setStatus(201);
    return comment;
  }

  /**
   * Changes a comment's text (1–300 characters, plain text); the answer carries `editedAt`.
   * @summary Edit a comment (its author only)
   */
  @Patch('{id}/comments/{commentId}')
  @Response<ProblemDetails>(403, 'Not the author of the comment')
  @Response<ProblemDetails>(404, 'No such post or comment')
  @Response<ProblemDetails>(415, 'Body is not JSON')
  public async updateComment(
    @Path() id: Uuid,
    @Path() commentId: Uuid,
    @Body() body: UpdateCommentRequest,
    @Request() req: KoaRequest,
  ): Promise<Comment> {
    return this.deps.comments.edit(callerId(req), id.toLowerCase(), commentId.toLowerCase(), body.text);
  }

  /**
   * Deletes a comment: the comment's author, or the author of the post it is on.
   * @summary Delete a comment (its author or the post's author)
   */
  @Delete('{id}/comments/{commentId}')
  @SuccessResponse(204, 'Deleted')
  @Response<ProblemDetails>(403, 'Neither the author of the comment nor of the post')
  @Response<ProblemDetails>(404, 'No such post or comment')
  public async deleteComment(@Path() id: Uuid, @Path() commentId: Uuid, @Request() req: KoaRequest): Promise<void> {
    await this.deps.comments.remove(callerId(req), id.toLowerCase(), commentId.toLowerCase());
    this.setStatus(204);
  }
}
