/**
 * Reusable helpers for checking Agora's PromQL: where every expression lives (rules and dashboards),
 * which metric names an expression references, and which label matchers it uses, checked against
 * the metric registry `observability/metrics.json`. Used by the static checks here and meant for the
 * live verification (real Prometheus scraping the local run) that evaluates the same expressions.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { SERVICE_NAMES } from '../../mesh/src/topology.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const OBS_DIR = join(REPO_ROOT, 'observability');
export const RULES_DIR = join(OBS_DIR, 'prometheus/rules');
export const RULE_TESTS_DIR = join(OBS_DIR, 'prometheus/tests');
export const DASHBOARDS_DIR = join(OBS_DIR, 'grafana/dashboards');
export const RUNBOOKS_DIR = join(OBS_DIR, 'runbooks');

// ---------------------------------------------------------------------------------------------
// Registry

/**
 * Who exports a metric. `agora-planned`: a metric a rule already uses but the code does not export
 * yet (its help says who must add it); `prometheus`: Prometheus' own synthetic series (`up`).
 */
export type MetricSource = 'agora' | 'agora-planned' | 'prom-client-default' | 'istio' | 'kube-state-metrics' | 'prometheus';
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface RegistryLabel {
  name: string;
  description?: string;
  values?: string[];
}

export interface RegistryMetric {
  name: string;
  type: MetricType;
  source: MetricSource;
  help: string;
  unit?: string;
  buckets?: number[];
  exemplars?: boolean;
  labels: RegistryLabel[];
}

export interface Registry {
  metrics: RegistryMetric[];
}

/** The registry, with "$services" in a label's values expanded to the topology's services. */
export function loadRegistry(path = join(OBS_DIR, 'metrics.json')): Registry {
  const registry = JSON.parse(readFileSync(path, 'utf8')) as Registry;
  for (const metric of registry.metrics) {
    for (const label of metric.labels) if (label.values) label.values = label.values.flatMap((v) => (v === '$services' ? [...SERVICE_NAMES] : [v]));
  }
  return registry;
}

/** Labels Prometheus itself attaches to every scraped series (job/instance; namespace/pod in the cluster). */
export const SCRAPE_LABELS = ['job', 'instance', 'namespace', 'pod'] as const;

export interface ExposedSeries {
  metric: RegistryMetric;
  /** '' for the metric itself, or the histogram/summary suffix. */
  suffix: '' | '_bucket' | '_sum' | '_count';
}

/** Every series name the registry's metrics expose: histograms as _bucket/_sum/_count, summaries as the quantiles plus _sum/_count. */
export function exposedSeriesNames(registry: Registry = loadRegistry()): Map<string, ExposedSeries> {
  const out = new Map<string, ExposedSeries>();
  for (const metric of registry.metrics) {
    if (metric.type === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count'] as const) out.set(metric.name + suffix, { metric, suffix });
    } else if (metric.type === 'summary') {
      out.set(metric.name, { metric, suffix: '' });
      for (const suffix of ['_sum', '_count'] as const) out.set(metric.name + suffix, { metric, suffix });
    } else {
      out.set(metric.name, { metric, suffix: '' });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Where the expressions live

export interface Expression {
  /** Human-readable origin, e.g. `prometheus/rules/slo.yml alert AgoraAvailabilityBurnRateFast`. */
  source: string;
  expr: string;
  kind: 'recording-rule' | 'alert-rule' | 'panel' | 'variable' | 'annotation';
  /** File relative to the repository root. */
  file: string;
  /** Recording rule name or alert name (rules only). */
  name?: string;
}

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

export function ruleFiles(dir = RULES_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

export function loadRuleGroups(file: string): RuleGroup[] {
  const doc = parseYaml(readFileSync(file, 'utf8')) as { groups?: RuleGroup[] } | null;
  return doc?.groups ?? [];
}

export function dashboardFiles(dir = DASHBOARDS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

/** Names defined by recording rules in the given rule files. */
export function recordingRuleNames(files = ruleFiles()): Set<string> {
  const names = new Set<string>();
  for (const file of files) for (const g of loadRuleGroups(file)) for (const r of g.rules) if (r.record) names.add(r.record);
  return names;
}

interface DashboardTarget {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string } | string | null;
}

export interface DashboardPanel {
  id?: number;
  title?: string;
  type?: string;
  datasource?: { type?: string; uid?: string } | string | null;
  targets?: DashboardTarget[];
  panels?: DashboardPanel[];
  fieldConfig?: unknown;
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating?: { list: Array<{ name: string; type: string; query?: unknown; datasource?: { type?: string; uid?: string } | null }> };
  annotations?: { list: Array<{ name: string; expr?: string; datasource?: { type?: string; uid?: string } | null }> };
}

/** Every panel of a dashboard, including panels nested in collapsed rows. */
export function allPanels(dashboard: Dashboard): DashboardPanel[] {
  const out: DashboardPanel[] = [];
  const walk = (panels: DashboardPanel[] | undefined) => {
    for (const p of panels ?? []) {
      out.push(p);
      walk(p.panels);
    }
  };
  walk(dashboard.panels);
  return out;
}

function uidOf(ds: DashboardTarget['datasource']): string | undefined {
  if (!ds) return undefined;
  return typeof ds === 'string' ? ds : ds.uid;
}

/**
 * Every PromQL expression of the project: each recording and alerting rule, each Prometheus target
 * of each dashboard panel, each Prometheus query variable (label_values(...) etc.) and each
 * Prometheus annotation query.
 */
export function allExpressions(opts: { rules?: string[]; dashboards?: string[] } = {}): Expression[] {
  const out: Expression[] = [];
  for (const file of opts.rules ?? ruleFiles()) {
    const rel = relative(REPO_ROOT, file);
    for (const group of loadRuleGroups(file)) {
      for (const rule of group.rules) {
        const name = rule.record ?? rule.alert ?? '?';
        out.push({
          source: `${rel} ${rule.record ? 'record' : 'alert'} ${name}`,
          expr: String(rule.expr),
          kind: rule.record ? 'recording-rule' : 'alert-rule',
          file: rel,
          name,
        });
      }
    }
  }
  for (const file of opts.dashboards ?? dashboardFiles()) {
    const rel = relative(REPO_ROOT, file);
    const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
    for (const panel of allPanels(dashboard)) {
      for (const target of panel.targets ?? []) {
        const uid = uidOf(target.datasource) ?? uidOf(panel.datasource);
        if (uid !== 'prometheus' || !target.expr) continue;
        out.push({
          source: `${rel} panel ${panel.id} "${panel.title}" target ${target.refId ?? '?'}`,
          expr: target.expr,
          kind: 'panel',
          file: rel,
        });
      }
    }
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type !== 'query' || uidOf(variable.datasource) !== 'prometheus') continue;
      const q = variable.query;
      const expr = typeof q === 'string' ? q : (q as { query?: string } | undefined)?.query;
      if (!expr) continue;
      out.push({ source: `${rel} variable ${variable.name}`, expr, kind: 'variable', file: rel });
    }
    for (const annotation of dashboard.annotations?.list ?? []) {
      if (uidOf(annotation.datasource) !== 'prometheus' || !annotation.expr) continue;
      out.push({ source: `${rel} annotation "${annotation.name}"`, expr: annotation.expr, kind: 'annotation', file: rel });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing PromQL (just enough to find metric names and label matchers)

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'inf',
  'nan',
  'atan2',
]);

/** Grafana's built-in interval variables and the value used for them when checking or evaluating. */
export const GRAFANA_INTERVALS: Record<string, string> = {
  __rate_interval: '5m',
  __interval: '1m',
  __range: '1h',
  __interval_ms: '60000',
  __range_s: '3600',
  __range_ms: '3600000',
};

/**
 * Replaces Grafana template variables (`$service`, `${route}`, `${route:regex}`, `[[x]]`) and the
 * built-in intervals (`$__rate_interval`...) so the expression is plain PromQL. `values` gives the
 * value for a dashboard variable; unknown variables become `.*` (inside matchers that use =~) or `x`.
 */
export function substituteGrafanaVariables(expr: string, values: Record<string, string> = {}): string {
  return expr.replace(/\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (_m, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c) as string;
    if (name in GRAFANA_INTERVALS) return GRAFANA_INTERVALS[name] as string;
    return values[name] ?? '.*';
  });
}

/** Removes quoted strings (PromQL's "..", '..' and `..`), honouring backslash escapes. */
function stripStrings(expr: string): string {
  return expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
}

/** Grafana variable queries that are not PromQL: label_values(selector, label) → selector. */
function unwrapGrafanaQuery(expr: string): string | undefined {
  const trimmed = expr.trim();
  const m = /^label_values\s*\(([\s\S]*)\)$/.exec(trimmed);
  if (m) {
    const args = m[1] as string;
    const stripped = stripStrings(args);
    // the last top-level comma separates the selector from the label name
    let depth = 0;
    let cut = -1;
    for (let i = 0; i < stripped.length; i++) {
      const ch = stripped[i];
      if (ch === '(' || ch === '{' || ch === '[') depth++;
      else if (ch === ')' || ch === '}' || ch === ']') depth--;
      else if (ch === ',' && depth === 0) cut = i;
    }
    if (cut < 0) return ''; // label_values(label): no metric
    // cut is an index into the stripped text; strings have a different length there, so map back by re-scanning
    return args.slice(0, indexInOriginal(args, cut));
  }
  if (/^(label_names|metrics)\s*\(/.test(trimmed)) return '';
  const q = /^query_result\s*\(([\s\S]*)\)$/.exec(trimmed);
  if (q) return q[1] as string;
  return undefined;
}

/** Maps an index in stripStrings(text) back to the index in text. */
function indexInOriginal(text: string, strippedIndex: number): number {
  let si = 0;
  let i = 0;
  const re = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/y;
  while (i < text.length) {
    if (si === strippedIndex) return i;
    re.lastIndex = i;
    const m = re.exec(text);
    if (m) {
      i += m[0].length;
      si += 2;
    } else {
      i++;
      si++;
    }
  }
  return i;
}

/**
 * The metric names (series names) an expression references: strings, label matchers, ranges,
 * grouping clauses, offsets, numbers, function names and keywords are removed first.
 * Works on rule expressions and dashboard expressions (Grafana variables are substituted).
 */
export function metricNames(expr: string): string[] {
  const unwrapped = unwrapGrafanaQuery(expr) ?? expr;
  let s = stripStrings(substituteGrafanaVariables(unwrapped));
  s = s.replace(/#[^\n]*/g, ' '); // comments
  s = s.replace(/\{[^}]*\}/g, ' '); // label matchers (strings already gone)
  s = s.replace(/\[[^\]]*\]/g, ' '); // ranges and subqueries
  s = s.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  s = s.replace(/\boffset\s+-?[\dsmhdwy]+/g, ' ');
  s = s.replace(/@\s*(start\s*\(\s*\)|end\s*\(\s*\)|[\d.]+)/g, ' ');
  // numbers, durations and hex before identifiers, so 1e-9 or 5m are not names
  s = s.replace(/(^|[^\w:.])(0x[0-9a-fA-F]+|(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?([smhdwy]|ms)?)(?![\w:])/g, '$1 ');
  const names = new Set<string>();
  const re = /[a-zA-Z_:][\w:]*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const word = m[0];
    const rest = s.slice(m.index + word.length);
    if (/^\s*\(/.test(rest)) continue; // function or aggregation
    if (KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names].sort();
}

export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface Selector {
  /** Metric name, or undefined for `{__name__=...}`-style selectors without one. */
  name?: string;
  matchers: LabelMatcher[];
}

/** Vector selectors with their label matchers, e.g. `x_bucket{le="0.5",service=~"$service"}`. */
export function selectors(expr: string): Selector[] {
  const text = unwrapGrafanaQuery(expr) ?? expr;
  const out: Selector[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(text, i);
      continue;
    }
    if (ch === '{') {
      // metric name immediately before the brace (allowing spaces)
      const before = text.slice(0, i).replace(/\s+$/, '');
      const nm = /([a-zA-Z_:][\w:]*)$/.exec(before);
      let name = nm?.[1];
      if (name && (KEYWORDS.has(name) || /\(\s*$/.test(text.slice(0, i)))) name = undefined;
      const end = findClosingBrace(text, i);
      const matchers = parseMatchers(text.slice(i + 1, end));
      const nameMatcher = matchers.find((m) => m.label === '__name__' && m.op === '=');
      out.push({ name: name ?? nameMatcher?.value, matchers: matchers.filter((m) => m.label !== '__name__') });
      i = end + 1;
      continue;
    }
    i++;
  }
  // bare selectors (no braces) have no matchers; add them so callers see every name
  const withBraces = new Set(out.map((s) => s.name));
  for (const name of metricNames(expr)) if (!withBraces.has(name)) out.push({ name, matchers: [] });
  return out;
}

function skipString(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === '\\' && quote !== '`' ? 2 : 1;
  return i + 1;
}

function findClosingBrace(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === '`') i = skipString(text, i);
    else if (ch === '}') return i;
    else i++;
  }
  return text.length;
}

function parseMatchers(body: string): LabelMatcher[] {
  const out: LabelMatcher[] = [];
  const re = /\s*([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)\s*,?/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const raw = m[3] as string;
    out.push({ label: m[1] as string, op: m[2] as LabelMatcher['op'], value: raw.slice(1, -1).replace(/\\(.)/g, '$1') });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Checking

export interface CheckContext {
  series: Map<string, ExposedSeries>;
  recorded: Set<string>;
}

export function checkContext(opts: { rules?: string[]; registry?: Registry } = {}): CheckContext {
  return { series: exposedSeriesNames(opts.registry ?? loadRegistry()), recorded: recordingRuleNames(opts.rules ?? ruleFiles()) };
}

/**
 * Problems with an expression: a metric that neither the registry nor a recording rule defines, a
 * label the metric does not carry, or an exact-match value outside the label's fixed values.
 */
export function checkExpression(expr: string, ctx: CheckContext): string[] {
  const problems: string[] = [];
  for (const name of metricNames(expr)) {
    if (!ctx.series.has(name) && !ctx.recorded.has(name)) problems.push(`unknown metric ${name}`);
  }
  for (const sel of selectors(expr)) {
    if (!sel.name) {
      problems.push('selector without a metric name');
      continue;
    }
    const exposed = ctx.series.get(sel.name);
    if (!exposed) continue; // recording rule (its labels are its grouping) or already reported
    const labels = new Map(exposed.metric.labels.map((l) => [l.name, l]));
    for (const m of sel.matchers) {
      if (m.label === 'le' && exposed.suffix === '_bucket') continue;
      if ((SCRAPE_LABELS as readonly string[]).includes(m.label)) continue;
      const def = labels.get(m.label);
      if (!def) {
        problems.push(`${sel.name} has no label ${m.label}`);
        continue;
      }
      if (def.values && m.op === '=' && !m.value.includes('$') && !def.values.includes(m.value)) {
        problems.push(`${sel.name}{${m.label}="${m.value}"}: value not in ${def.values.join('|')}`);
      }
      if (def.values && m.op === '=~' && !m.value.includes('$') && !def.values.some((v) => new RegExp(`^(?:${m.value})$`).test(v))) {
        problems.push(`${sel.name}{${m.label}=~"${m.value}"}: matches none of ${def.values.join('|')}`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Tools

/** The binary `name` from .tools/bin, running scripts/install-tools.sh first when it is missing. */
export function ensureTool(name: 'promtool' | 'kubectl' | 'prometheus' | 'alertmanager' | 'amtool'): string {
  const bin = join(REPO_ROOT, '.tools/bin', name);
  // Debian's alertmanager also needs its templates at a fixed system path (see install-tools.sh).
  const missing = !existsSync(bin) || (name === 'alertmanager' && !existsSync('/usr/share/prometheus/alertmanager/default.tmpl'));
  if (missing) {
    // Test files run in parallel: one install at a time (flock), the others then find the tools.
    mkdirSync(join(REPO_ROOT, '.tools'), { recursive: true });
    execFileSync('flock', [join(REPO_ROOT, '.tools/.install.lock'), 'bash', join(REPO_ROOT, 'scripts/install-tools.sh')], {
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: 600_000,
    });
  }
  if (!existsSync(bin)) throw new Error(`${bin} is missing after scripts/install-tools.sh`);
  return bin;
}

/** Path of promtool (Debian's prometheus package) from scripts/install-tools.sh. */
export const ensurePromtool = (): string => ensureTool('promtool');

/** Path of kubectl (for its built-in kustomize v2.0.3) from scripts/install-tools.sh. */
export const ensureKubectl = (): string => ensureTool('kubectl');

/** How long a beforeAll that may install the tools can take. */
export const INSTALL_TIMEOUT_MS = 600_000;

export interface RunResult {
  code: number;
  output: string;
}

/** Runs a command, returning its exit code and combined output instead of throwing. */
export function run(cmd: string, args: string[], cwd = REPO_ROOT): RunResult {
  try {
    const output = execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    return { code: 0, output };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { code: err.status ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}
