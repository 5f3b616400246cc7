/** The most distinct users one post or comment can notify by mentioning them (the rest are ignored). */
export const MAX_MENTIONS = 10;

// A username as auth allows it (3–30 letters, digits, underscores) right after an `@` that does not
// continue a word or an address: `@ada` and `(@ada)` mention ada, `me@ada.dev` and `@@ada` do not.
const MENTION = /(?<![A-Za-z0-9_@.])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])/g;

/** The usernames `@mentioned` in `text`, lower case, distinct, in order of appearance, at most MAX_MENTIONS. */
export function mentionedUsernames(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    seen.add(match[1]!.toLowerCase());
    if (seen.size === MAX_MENTIONS) break;
  }
  return [...seen];
}
