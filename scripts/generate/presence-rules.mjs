// Step 7: the one service-list part of observability/prometheus/rules/presence.yml, AgoraServiceAbsent's
// expression (one absent() per service of mesh/src/topology.ts, through scripts/lib/topology.mjs).
// The rest of the file is written by hand: it is read, only that expression is replaced, and the
// document is written back with its comments and layout (the yaml library round-trips it unchanged).
// render() writes nothing; `npm run generate` writes, `--check` compares (test/generated-files.test.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { topology } from '../lib/topology.mjs';

export const GENERATOR = 'scripts/generate/presence-rules.mjs';
export const OUT = 'observability/prometheus/rules/presence.yml';
export const ALERT = 'AgoraServiceAbsent';

/** Renders the file: { "<repo-relative path>": "<content>" }. */
export async function render(root) {
  const { SERVICE_NAMES } = await topology();
  const current = await readFile(path.join(root, OUT), 'utf8');
  return { [OUT]: renderPresence(current, SERVICE_NAMES) };
}

/** Every process exports process_cpu_seconds_total with its `service` label from its first scrape on. */
export function absentExpression(services) {
  return `${services.map((s) => `absent(process_cpu_seconds_total{service="${s}"})`).join('\nor ')}\n`;
}

/** `text` (the hand-written rule file) with the alert's expression derived from `services`. */
export function renderPresence(text, services) {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error(`${GENERATOR}: ${OUT} does not parse: ${doc.errors[0].message}`);
  const rules = (doc.get('groups')?.items ?? []).flatMap((group) => group.get('rules')?.items ?? []);
  const matches = rules.filter((rule) => rule.get('alert') === ALERT);
  if (matches.length !== 1) throw new Error(`${GENERATOR}: ${OUT} must hold exactly one ${ALERT} rule (found ${matches.length})`);
  const expr = new YAML.Scalar(absentExpression(services));
  expr.type = YAML.Scalar.BLOCK_LITERAL;
  matches[0].set('expr', expr);
  return doc.toString({ lineWidth: 0 });
}
