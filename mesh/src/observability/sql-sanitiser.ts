import type { Span } from '@opentelemetry/api';

/**
 * SQL text for traces without the data in it. A statement can carry what a user typed (a login
 * name, a mistyped password in a lookup), token hashes or e-mail addresses whenever a library
 * inlines values instead of binding them (Sequelize does, for `where` clauses). Spans keep the
 * statement's shape: every literal becomes `?`; bind parameters ($1, $2 …), identifiers, keywords
 * and comments' absence stay as they are. Used on every pg query span (tracing.ts) whatever runs the
 * query (Sequelize or pg directly), so it holds for both database access styles.
 */

/** Attribute keys the pg instrumentation may record the statement under (current and older semconv). */
export const SQL_TEXT_ATTRIBUTES = ['db.query.text', 'db.statement'] as const;

/** Set on every query span whose statement went through sanitiseSql (the personal-data test checks it). */
export const SQL_SANITISED_ATTRIBUTE = 'agora.db.statement_sanitised';

/** Statements longer than this are cut (after sanitising): a bulk insert's text is no use in a trace. */
const MAX_LENGTH = 2_000;

// One pass, left to right, so a quote inside a comment or an identifier never starts a literal:
//   "…" quoted identifiers (kept), --… and /*…*/ comments (removed), E'…' strings (backslash
//   escapes) and '…' / B'…' / X'…' / U&'…' strings (standard: a backslash is a character) (?),
//   $tag$…$tag$ dollar-quoted strings (?), $n bind parameters (kept), numbers (?), words (kept).
const TOKENS =
  /("(?:[^"]|"")*")|(--[^\n]*|\/\*[\s\S]*?\*\/)|([eE]'(?:[^'\\]|''|\\.)*'?|(?:[bBxX]|[uU]&)?'(?:[^']|'')*'?)|(\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\5\$)|(\$\d+)|((?<![A-Za-z0-9_$])(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_$]*)/g;

export function sanitiseSql(text: string): string {
  const out = text.replace(
    TOKENS,
    (match, ident?: string, comment?: string, str?: string, dollar?: string, _tag?: string, param?: string, num?: string) => {
      if (ident || param) return match;
      if (comment !== undefined) return ' ';
      if (str !== undefined || dollar !== undefined || num !== undefined) return '?';
      return match;
    },
  );
  const collapsed = out.replace(/\s+/g, ' ').trim();
  return collapsed.length > MAX_LENGTH ? `${collapsed.slice(0, MAX_LENGTH)}…` : collapsed;
}

/**
 * The pg instrumentation's requestHook: replaces the statement it recorded with the sanitised one.
 * Bound values are never recorded (enhancedDatabaseReporting stays off).
 *
 * The hook runs for every query, also under a request the sampler left out, whose span records
 * nothing: a non-recording span drops attributes anyway, so the statement is sanitised only for a
 * span that records (the sanitiser was the largest single frame of the hot read's profile,
 * docs/benchmarks.md row 1).
 */
export function sanitiseQuerySpan(span: Span, info: { query: { text: string } }): void {
  if (!span.isRecording()) return;
  const sanitised = sanitiseSql(info.query.text);
  // Both keys: the instrumentation records db.query.text (current semantic conventions), and
  // db.statement is what older tools and Jaeger's UI show; neither ever holds the raw text.
  for (const key of SQL_TEXT_ATTRIBUTES) span.setAttribute(key, sanitised);
  span.setAttribute(SQL_SANITISED_ATTRIBUTE, true);
}
