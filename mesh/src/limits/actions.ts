import { budgetSetting } from './budgets.js';

/**
 * The actions one account may take only so often, the setting that holds each one's budget, and the
 * default (the reasons for each figure: SECURITY.md, "Per-account rate limits"). Each service adds the
 * settings of the actions it performs to its config schema (`...ACCOUNT_LIMIT_SETTINGS.post`).
 */
export const LIMITED_ACTIONS = {
  post: { setting: 'RATE_LIMIT_POSTS', fallback: '30/1h,5/1m', noun: 'posts' },
  comment: { setting: 'RATE_LIMIT_COMMENTS', fallback: '60/1h', noun: 'comments' },
  like: { setting: 'RATE_LIMIT_LIKES', fallback: '300/1h', noun: 'likes' },
  follow: { setting: 'RATE_LIMIT_FOLLOWS', fallback: '100/1h', noun: 'follows' },
  upload: { setting: 'RATE_LIMIT_UPLOADS', fallback: '50/1h', noun: 'uploads' },
} as const;

export type LimitedAction = keyof typeof LIMITED_ACTIONS;
export const LIMITED_ACTION_NAMES = Object.keys(LIMITED_ACTIONS) as LimitedAction[];

/** The config-schema entries per action, e.g. `{ RATE_LIMIT_POSTS: budgetSetting('30/1h,5/1m') }`. */
export const ACCOUNT_LIMIT_SETTINGS = {
  post: { RATE_LIMIT_POSTS: budgetSetting(LIMITED_ACTIONS.post.fallback) },
  comment: { RATE_LIMIT_COMMENTS: budgetSetting(LIMITED_ACTIONS.comment.fallback) },
  like: { RATE_LIMIT_LIKES: budgetSetting(LIMITED_ACTIONS.like.fallback) },
  follow: { RATE_LIMIT_FOLLOWS: budgetSetting(LIMITED_ACTIONS.follow.fallback) },
  upload: { RATE_LIMIT_UPLOADS: budgetSetting(LIMITED_ACTIONS.upload.fallback) },
};
