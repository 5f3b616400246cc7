// The bench's floor for row 1: `GET /api/v1/posts/:id` served by bare Koa + @koa/router + pg, with
// the very SQL the posts service runs for that route (services/posts/src/domain/post-rows.ts,
// POST_COLUMNS + POST_JOINS + "WHERE p.id = $2": the post with its author and media embedded from
// posts' read models), the same pool size (DATABASE_POOL_MAX default 10) and the same
// JSON shape — and nothing else: no token check, validation, metrics, tracing, logging, security
// headers or problem documents. Env: PORT, DATABASE_URL, BENCH_ME (the uuid used as "me").
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Koa, @koa/router and pg are dependencies of mesh (what npm hoists may vary): resolve them from there.
const meshRequire = createRequire(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../mesh/package.json'));
const Koa = meshRequire('koa');
const Router = meshRequire('@koa/router');
const pg = meshRequire('pg');

export const POST_SQL = `SELECT
  p.id, p.author_id AS "authorId", a.username AS "authorUsername", a.display_name AS "authorDisplayName",
  a.avatar_media_id::text AS "authorAvatarMediaId", p.text,
  ARRAY(SELECT u.id::text FROM unnest(p.media_ids) WITH ORDINALITY AS u(id, ord)
         WHERE NOT EXISTS (SELECT 1 FROM deleted_media d WHERE d.id = u.id) ORDER BY u.ord) AS "mediaIds",
  (SELECT coalesce(json_agg(json_build_object('id', m.id, 'contentType', m.content_type, 'width', m.width,
                                              'height', m.height, 'alt', m.alt) ORDER BY u.ord), '[]'::json)
     FROM unnest(p.media_ids) WITH ORDINALITY AS u(id, ord) JOIN media_objects m ON m.id = u.id
    WHERE NOT EXISTS (SELECT 1 FROM deleted_media d WHERE d.id = u.id)) AS "media",
  p.like_count AS "likeCount", p.comment_count AS "commentCount",
  EXISTS (SELECT 1 FROM likes l WHERE l.post_id = p.id AND l.user_id = $1) AS "likedByMe",
  p.created_at AS "createdAt", p.updated_at AS "updatedAt" FROM posts p LEFT JOIN authors a ON a.id = p.author_id WHERE p.id = $2`;

const contentUrl = (id) => `/api/v1/media/${id}/content`;

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const me = process.env.BENCH_ME;
const app = new Koa();
const router = new Router();
router.get('/api/v1/posts/:id', async (ctx) => {
  const { rows } = await pool.query(POST_SQL, [me, ctx.params.id]);
  if (!rows[0]) {
    ctx.status = 404;
    return;
  }
  const r = rows[0];
  ctx.body = {
    id: r.id,
    authorId: r.authorId,
    author: {
      id: r.authorId,
      username: r.authorUsername,
      displayName: r.authorDisplayName,
      avatarUrl: r.authorAvatarMediaId ? contentUrl(r.authorAvatarMediaId) : null,
    },
    text: r.text,
    mediaIds: r.mediaIds,
    media: r.media.map((m) => ({ id: m.id, url: contentUrl(m.id), contentType: m.contentType, width: m.width, height: m.height, alt: m.alt })),
    likeCount: Number(r.likeCount),
    commentCount: Number(r.commentCount),
    likedByMe: r.likedByMe,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
});
// Ready once the pool reaches the database, as the services' readiness checks theirs: row 5 times
// this process's start as the reference for theirs.
router.get('/healthz/ready', async (ctx) => {
  await pool.query('SELECT 1');
  ctx.body = { status: 'ready' };
});
app.use(router.routes());
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
server.keepAliveTimeout = 65_000;
const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
