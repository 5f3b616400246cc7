/**
 * SQL text for traces without the data in it. A statement can carry what a user typed (a login
 * name, a mistyped password in a lookup), token hashes or e-mail addresses whenever a statement
 * has values inlined instead of bound (a library's own statements, a migration). Spans keep the
 * statement's shape: every literal becomes `?`; bind parameters ($1, $2 …), identifiers, keywords
 * and comments' absence stay as they are. Used on every query span (query-span.ts), whichever library
 * sent the statement through the service's pool.
 */

/** Attribute keys a query span records the statement under (current and older semconv). */
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
 * The statement attributes of a query span (query-span.ts): the sanitised text under both keys and
 * the marker. Bound values are never recorded. Called only for a span that records: a span under a
 * request the sampler left out drops attributes anyway, so the statement is sanitised only when it
 * will be kept (the sanitiser was the largest single frame of the hot read's profile,
 * docs/benchmarks.md row 1).
 */
export function sanitisedStatementAttributes(text: string): Record<string, string | boolean> {
  const sanitised = sanitiseSql(text);
  // Both keys: db.query.text is the current semantic conventions' name, and db.statement is what
  // older tools and Jaeger's UI show; neither ever holds the raw text.
  return { [SQL_TEXT_ATTRIBUTES[0]]: sanitised, [SQL_TEXT_ATTRIBUTES[1]]: sanitised, [SQL_SANITISED_ATTRIBUTE]: true };
}
