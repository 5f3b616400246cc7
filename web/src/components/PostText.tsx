import { Fragment } from 'react';

/**
 * Post text as text, never as HTML. http(s) links become anchors that open without the opener and
 * without a referrer; anything else that looks like a link (javascript:, data:) stays plain text.
 */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;

export function PostText({ text }: { text: string }) {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const raw = match[0].replace(/[.,;:!?)]+$/, '');
    const start = match.index ?? 0;
    parts.push(<Fragment key={`t${start}`}>{text.slice(last, start)}</Fragment>);
    let safe: URL | undefined;
    try {
      safe = new URL(raw);
    } catch {
      safe = undefined;
    }
    parts.push(
      safe && (safe.protocol === 'https:' || safe.protocol === 'http:') ? (
        <a key={`a${start}`} href={safe.href} rel="noopener noreferrer nofollow" target="_blank">
          {raw}
        </a>
      ) : (
        <Fragment key={`r${start}`}>{raw}</Fragment>
      ),
    );
    last = start + raw.length;
  }
  parts.push(<Fragment key="end">{text.slice(last)}</Fragment>);
  return <p className="post-text">{parts}</p>;
}
