/**
 * Per-account budgets (mesh/src/limits) high enough for suites that post, like, follow and upload
 * fast from few accounts: the test stack and the service harnesses use them, the rate-limit tests
 * set their own.
 */
export const RAISED_ACCOUNT_LIMITS = {
  RATE_LIMIT_POSTS: '100000/1h',
  RATE_LIMIT_COMMENTS: '100000/1h',
  RATE_LIMIT_LIKES: '100000/1h',
  RATE_LIMIT_FOLLOWS: '100000/1h',
  RATE_LIMIT_UPLOADS: '100000/1h',
} as const;
