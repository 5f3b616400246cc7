/**
 * tsoa's validation messages, said in plain words. tsoa writes the rule it checked — a raw regular
 * expression (`Not match in '^[0-9a-f…$'`), a JSON dump of an enum or of nested errors — which
 * tells a client's user nothing and shows internals. Rules with their own message in the contract
 * (`@pattern <regex> <message>`, as `Uuid` has) keep it; the rest are rewritten here, and anything
 * not recognised becomes a generic phrase rather than passing through.
 */
const REWRITES: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^Not match in '/, () => 'has the wrong format'],
  [/^should be one of the following; \[(.*)\]$/s, (m) => `must be one of: ${enumMembers(m[1]!)}`],
  [/^minLength (\d+)$/, (m) => `must be at least ${m[1]} characters long`],
  [/^maxLength (\d+)$/, (m) => `must be at most ${m[1]} characters long`],
  [/^min (-?[\d.]+)$/, (m) => `must be at least ${m[1]}`],
  [/^max (-?[\d.]+)$/, (m) => `must be at most ${m[1]}`],
  [/^minItems (\d+)$/, (m) => `must have at least ${m[1]} items`],
  [/^maxItems (\d+)$/, (m) => `must have at most ${m[1]} items`],
  [/^required unique array$/, () => 'must not repeat an item'],
  [/^invalid integer number$/, () => 'must be a whole number'],
  [/^invalid float number$/, () => 'must be a number'],
  [/^invalid string value$/, () => 'must be a string'],
  [/^invalid boolean value$/, () => 'must be true or false'],
  [/^invalid array$/, () => 'must be a list'],
  [/^invalid object$/, () => 'must be an object'],
  [/^invalid ISO 8601 date(time)? format/, () => 'must be a date and time in ISO 8601 format'],
  [/^'.*' is required$/s, () => 'is required'],
  [/is an excess property and therefore is not allowed$/, () => 'is not a field of this request; remove it'],
  [/^Could not match the (union|intersection)/, () => 'does not match any of the accepted forms'],
  [/^Could not match intersection/, () => 'does not match any of the accepted forms'],
  [/^No matching model found in additionalProperties/, () => 'is not a field of this request; remove it'],
  [/^invalid undefined value$/, () => 'must not be sent'],
  [/^no member$/, () => 'has no accepted value'],
];

/** Words a message written in the contract may use; tsoa's own messages are all rewritten. */
const PLAIN = /^[\p{L}\p{N} ,.;:()'’–—/_@-]{1,200}$/u;

export function plainValidationMessage(message: string): string {
  for (const [pattern, rewrite] of REWRITES) {
    const m = pattern.exec(message);
    if (m) return rewrite(m);
  }
  return PLAIN.test(message) && !/[\\^$[\]{}]/.test(message) ? message : 'is not valid';
}

/** `'image/jpeg','image/png'` → `image/jpeg, image/png`. */
function enumMembers(list: string): string {
  return list
    .split(',')
    .map((s) => s.trim().replace(/^'(.*)'$/, '$1'))
    .join(', ');
}
