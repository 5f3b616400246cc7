/** Query keys shared by the data modules, so one change updates every screen that shows it. */
export const keys = {
  feed: ['feed'] as const,
  post: (id: string) => ['post', id] as const,
  comments: (id: string) => ['comments', id] as const,
  likers: (id: string) => ['likers', id] as const,
  username: (name: string) => ['username', name.toLowerCase()] as const,
  me: ['me'] as const,
  authorPosts: (id: string) => ['author-posts', id] as const,
  follows: (id: string, which: 'followers' | 'following') => ['follows', id, which] as const,
  twoFactor: ['two-factor'] as const,
  adminUsers: ['admin-users'] as const,
  searchPeople: (q: string) => ['search-people', q] as const,
  searchPosts: (q: string) => ['search-posts', q] as const,
  suggested: ['suggested'] as const,
  notifications: ['notifications'] as const,
  unread: ['notifications-unread'] as const,
};
