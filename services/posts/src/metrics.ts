import type { ServiceMetrics } from '@agora/mesh';

/**
 * posts' own metrics, as observability/metrics.json lists them, declared on the service's registry
 * (which adds `service="posts"`). Called once, from the wiring.
 */
export function declarePostsMetrics(metrics: ServiceMetrics) {
  return {
    postsCreated: metrics.counter({ name: 'agora_posts_created_total', help: 'Posts created.' }),
    /** Not counted again when the user already liked the post. */
    likes: metrics.counter({ name: 'agora_likes_total', help: 'Likes given.' }),
    comments: metrics.counter({ name: 'agora_comments_total', help: 'Comments created.' }),
  };
}

export type PostsMetrics = ReturnType<typeof declarePostsMetrics>;
