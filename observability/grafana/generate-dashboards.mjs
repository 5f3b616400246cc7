#!/usr/bin/env node
/**
 * Source of the Grafana dashboards under observability/grafana/dashboards/*.json.
 *   node observability/grafana/generate-dashboards.mjs          writes the JSON files
 *   node observability/grafana/generate-dashboards.mjs --check  exits 1 when a file differs
 * Edit the dashboards here (not in the JSON): panel ids and layout are computed, so they stay unique
 * and tidy. Every metric used must be in observability/metrics.json (test/observability checks it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'dashboards');
const PROM = { type: 'prometheus', uid: 'prometheus' };
const RI = '$__rate_interval';

/** A Prometheus query target. */
const q = (expr, legendFormat = '', extra = {}) => ({ expr, legendFormat, ...extra });

/** Lays out panels on Grafana's 24-column grid and numbers them. */
function layout(items) {
  let id = 1;
  let x = 0;
  let y = 0;
  let rowH = 0;
  const panels = [];
  for (const item of items) {
    if (item.row) {
      if (x > 0) y += rowH;
      panels.push({ id: id++, type: 'row', title: item.row, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
      y += 1;
      x = 0;
      rowH = 0;
      continue;
    }
    const w = item.w ?? 12;
    const h = item.h ?? 8;
    if (x + w > 24) {
      y += rowH;
      x = 0;
      rowH = 0;
    }
    panels.push(panel(id++, item, { h, w, x, y }));
    x += w;
    rowH = Math.max(rowH, h);
  }
  return panels;
}

function panel(id, p, gridPos) {
  const type = p.type ?? 'timeseries';
  const refIds = 'ABCDEFGHIJ';
  const defaults = { unit: p.unit ?? 'short' };
  if (p.min !== undefined) defaults.min = p.min;
  if (p.max !== undefined) defaults.max = p.max;
  if (p.links) defaults.links = p.links;
  if (p.thresholds) defaults.thresholds = { mode: 'absolute', steps: p.thresholds };
  if (type === 'timeseries') {
    defaults.custom = { drawStyle: 'line', lineWidth: 1, fillOpacity: p.stack ? 30 : 10, showPoints: 'never', spanNulls: false };
    if (p.stack) defaults.custom.stacking = { mode: 'normal', group: 'A' };
  }
  const options =
    type === 'timeseries'
      ? { legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['mean', 'max', 'lastNotNull'] }, tooltip: { mode: 'multi', sort: 'desc' } }
      : type === 'stat'
        ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area', textMode: 'auto' }
        : { showHeader: true };
  return {
    id,
    type,
    title: p.title,
    description: p.description ?? '',
    datasource: PROM,
    gridPos,
    fieldConfig: { defaults, overrides: [] },
    options,
    targets: p.targets.map((t, i) => ({
      refId: refIds[i],
      datasource: PROM,
      expr: t.expr,
      legendFormat: t.legendFormat,
      range: type !== 'table',
      instant: type === 'table',
      ...(t.exemplar ? { exemplar: true } : {}),
      ...(type === 'table' ? { format: 'table' } : {}),
    })),
  };
}

function queryVariable(name, label, query, { multi = false, includeAll = false, allValue } = {}) {
  return {
    name,
    label,
    type: 'query',
    datasource: PROM,
    query: { query, refId: `${name}-variable` },
    definition: query,
    refresh: 2,
    sort: 1,
    multi,
    includeAll,
    ...(allValue ? { allValue } : {}),
    current: {},
    options: [],
    hide: 0,
  };
}

function dashboard({ uid, title, description, tags, variables = [], items }) {
  return {
    uid,
    title,
    description,
    tags: ['agora', ...tags],
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    annotations: { list: [] },
    links: [{ title: 'Agora dashboards', type: 'dashboards', tags: ['agora'], asDropdown: true, includeVars: false, keepTime: true }],
    templating: { list: variables },
    panels: layout(items),
  };
}

// Links from latency panels to the traces of the service: Grafana Explore on the Jaeger datasource
// (uid jaeger), and the Jaeger UI itself (skaffold port-forwards jaeger:16686 to localhost:16686).
// The services' OpenTelemetry service.name is their topology name (auth, users, posts, media).
const enc = encodeURIComponent;
const exploreJaeger = (service) =>
  `/explore?left=${enc('{"datasource":"jaeger","queries":[{"refId":"A","datasource":{"type":"jaeger","uid":"jaeger"},"queryType":"search","service":"')}${service}${enc('","minDuration":"500ms"}],"range":{"from":"')}\${__from}${enc('","to":"')}\${__to}${enc('"}}')}`;
const traceLinks = (service) => [
  { title: `Slow traces of ${service} (Grafana Explore, Jaeger)`, url: exploreJaeger(service) },
  { title: `Slow traces of ${service} (Jaeger UI)`, url: `http://localhost:16686/search?service=${service}&minDuration=500ms&lookback=1h&limit=20`, targetBlank: true },
];

const SEL = 'service="$service", route=~"$route"';
const H = 'http_server_request_duration_seconds';

const serviceRed = dashboard({
  uid: 'agora-service-red',
  title: 'Agora / Service RED',
  description: 'Rate, errors and duration of one service, by route; its runtime and its calls to other services. Source: the service\'s own prom-client metrics.',
  tags: ['red', 'slo'],
  variables: [
    queryVariable('service', 'Service', `label_values(${H}_count, service)`),
    queryVariable('route', 'Route', `label_values(${H}_count{service="$service"}, route)`, { multi: true, includeAll: true, allValue: '.*' }),
  ],
  items: [
    { row: 'Overview (SLOs: 99.5% without 5xx, 99% within 500 ms)' },
    { type: 'stat', w: 4, h: 4, title: 'Requests / s', unit: 'reqps', targets: [q(`sum(rate(${H}_count{${SEL}}[${RI}]))`)] },
    { type: 'stat', w: 4, h: 4, title: '5xx ratio (5m)', unit: 'percentunit', thresholds: [{ color: 'green', value: null }, { color: 'red', value: 0.005 }], targets: [q('service:http_server_request_error_ratio:rate5m{service="$service"}')] },
    { type: 'stat', w: 4, h: 4, title: 'p99 latency (5m)', unit: 's', thresholds: [{ color: 'green', value: null }, { color: 'red', value: 0.5 }], targets: [q('service:http_server_request_duration_seconds:p99_5m{service="$service"}')], links: traceLinks('${service}') },
    { type: 'stat', w: 4, h: 4, title: 'In flight', unit: 'short', targets: [q('sum(http_server_requests_in_flight{service="$service"})')] },
    { type: 'stat', w: 4, h: 4, title: 'Availability burn rate (1h)', unit: 'x', description: 'Error ratio over the last hour divided by the budget (0.5%). 1 = on track; 14.4 pages.', thresholds: [{ color: 'green', value: null }, { color: 'orange', value: 6 }, { color: 'red', value: 14.4 }], targets: [q('service:slo_availability_error_ratio:rate1h{service="$service"} / 0.005')] },
    { type: 'stat', w: 4, h: 4, title: 'Latency burn rate (1h)', unit: 'x', description: 'Share of requests slower than 500 ms over the last hour divided by the budget (1%).', links: traceLinks('${service}'), thresholds: [{ color: 'green', value: null }, { color: 'orange', value: 6 }, { color: 'red', value: 14.4 }], targets: [q('service:slo_latency_slow_ratio:rate1h{service="$service"} / 0.01')] },

    { row: 'Rate' },
    { title: 'Requests by route', unit: 'reqps', targets: [q(`sum by (method, route) (rate(${H}_count{${SEL}}[${RI}]))`, '{{method}} {{route}}')] },
    { title: 'Requests by status class', unit: 'reqps', stack: true, targets: [q(`sum by (status_class) (rate(${H}_count{${SEL}}[${RI}]))`, '{{status_class}}')] },

    { row: 'Errors' },
    { title: '5xx ratio by route', unit: 'percentunit', min: 0, targets: [q(`sum by (method, route) (rate(${H}_count{${SEL}, status_class="5xx"}[${RI}])) / sum by (method, route) (rate(${H}_count{${SEL}}[${RI}]))`, '{{method}} {{route}}')] },
    { title: '4xx by route', unit: 'reqps', targets: [q(`sum by (method, route) (rate(${H}_count{${SEL}, status_class="4xx"}[${RI}]))`, '{{method}} {{route}}')] },

    { row: 'Duration' },
    {
      title: 'Latency p50 / p90 / p99',
      unit: 's',
      description: 'Quantiles estimated from the histogram. Exemplars (dots) and the panel links open the traces in Jaeger.',
      links: traceLinks('${service}'),
      targets: [
        q(`histogram_quantile(0.5, sum by (le) (rate(${H}_bucket{${SEL}}[${RI}])))`, 'p50'),
        q(`histogram_quantile(0.9, sum by (le) (rate(${H}_bucket{${SEL}}[${RI}])))`, 'p90'),
        q(`histogram_quantile(0.99, sum by (le) (rate(${H}_bucket{${SEL}}[${RI}])))`, 'p99', { exemplar: true }),
      ],
    },
    { title: 'Latency p99 by route', unit: 's', links: traceLinks('${service}'), targets: [q(`histogram_quantile(0.99, sum by (route, le) (rate(${H}_bucket{${SEL}}[${RI}])))`, '{{route}}', { exemplar: true })] },
    { title: 'Requests slower than 500 ms (latency SLI)', unit: 'percentunit', min: 0, links: traceLinks('${service}'), targets: [q(`1 - sum(rate(${H}_bucket{${SEL}, le="0.5"}[${RI}])) / sum(rate(${H}_count{${SEL}}[${RI}]))`, 'slower than 500 ms')] },
    { title: 'Requests in flight', unit: 'short', targets: [q('sum by (instance) (http_server_requests_in_flight{service="$service"})', '{{instance}}')] },

    { row: 'Calls to other services' },
    { title: 'Outgoing calls by callee and outcome', unit: 'reqps', targets: [q(`sum by (callee, outcome) (rate(mesh_client_request_duration_seconds_count{service="$service"}[${RI}]))`, '{{callee}} {{outcome}}')] },
    { title: 'Outgoing call p99 by callee', unit: 's', links: traceLinks('${service}'), targets: [q(`histogram_quantile(0.99, sum by (callee, le) (rate(mesh_client_request_duration_seconds_bucket{service="$service"}[${RI}])))`, '{{callee}}', { exemplar: true })] },
    { title: 'Outgoing call failures by callee and reason', unit: 'reqps', w: 24, targets: [q(`sum by (callee, reason) (rate(mesh_client_failures_total{service="$service"}[${RI}]))`, '{{callee}} {{reason}}')] },

    { row: 'Runtime' },
    { title: 'CPU', unit: 'percentunit', w: 8, targets: [q(`sum by (instance) (rate(process_cpu_seconds_total{service="$service"}[${RI}]))`, '{{instance}}')] },
    { title: 'Memory', unit: 'bytes', w: 8, targets: [q('sum by (instance) (process_resident_memory_bytes{service="$service"})', 'rss {{instance}}'), q('sum by (instance) (nodejs_heap_size_used_bytes{service="$service"})', 'heap used {{instance}}')] },
    { title: 'Event-loop lag', unit: 's', w: 8, targets: [q('max by (instance) (nodejs_eventloop_lag_p99_seconds{service="$service"})', 'p99 {{instance}}'), q('max by (instance) (nodejs_eventloop_lag_seconds{service="$service"})', 'current {{instance}}')] },

    { row: 'Business events' },
    {
      title: 'Business events / s',
      unit: 'ops',
      w: 24,
      description: 'Counters of the service that owns them: registrations (auth), posts, likes and comments (posts).',
      targets: [
        q(`sum(rate(agora_registrations_total{service="$service"}[${RI}]))`, 'registrations'),
        q(`sum(rate(agora_posts_created_total{service="$service"}[${RI}]))`, 'posts created'),
        q(`sum(rate(agora_likes_total{service="$service"}[${RI}]))`, 'likes'),
        q(`sum(rate(agora_comments_total{service="$service"}[${RI}]))`, 'comments'),
      ],
    },
  ],
});

const AV = 'auth_token_verifications_total';
// Rejections answer 401, except these (403) and jwks_unavailable (503): see observability/metrics.json.
const FORBIDDEN = 'forbidden_role|forbidden_workload';
const NOT_401 = `${FORBIDDEN}|jwks_unavailable`;
const authSecurity = dashboard({
  uid: 'agora-auth-security',
  title: 'Agora / Auth & security',
  description: 'Token verifications by outcome and reason (every service), logins, refresh-token reuse, and what the Istio sidecars reject.',
  tags: ['security', 'auth'],
  variables: [queryVariable('service', 'Service', `label_values(${AV}, service)`, { multi: true, includeAll: true, allValue: '.*' })],
  items: [
    { row: 'Overview' },
    { type: 'stat', w: 6, h: 4, title: 'Refresh-token reuse (time range)', unit: 'short', thresholds: [{ color: 'green', value: null }, { color: 'red', value: 1 }], targets: [q('sum(increase(agora_refresh_reuse_detected_total[$__range]))')] },
    { type: 'stat', w: 6, h: 4, title: '401 / s (token rejected)', unit: 'reqps', targets: [q(`sum(rate(${AV}{service=~"$service", outcome="rejected", reason!~"${NOT_401}"}[${RI}]))`)] },
    { type: 'stat', w: 6, h: 4, title: '403 / s (role or workload forbidden)', unit: 'reqps', targets: [q(`sum(rate(${AV}{service=~"$service", outcome="rejected", reason=~"${FORBIDDEN}"}[${RI}]))`)] },
    { type: 'stat', w: 6, h: 4, title: 'Failed logins (5m)', unit: 'percentunit', targets: [q(`sum(rate(agora_logins_total{result=~"bad_credentials|rate_limited"}[5m])) / sum(rate(agora_logins_total[5m]))`)] },

    { row: 'Token verification (service side, jose)' },
    { title: 'Rejections by reason', unit: 'reqps', stack: true, targets: [q(`sum by (reason) (rate(${AV}{service=~"$service", outcome="rejected"}[${RI}]))`, '{{reason}}')] },
    { title: 'Rejection ratio by service (5m)', unit: 'percentunit', min: 0, targets: [q('service:auth_token_rejection_ratio:rate5m{service=~"$service"}', '{{service}}')] },
    { title: '401 / 403 / 503 by service', unit: 'reqps', targets: [q(`sum by (service) (rate(${AV}{service=~"$service", outcome="rejected", reason!~"${NOT_401}"}[${RI}]))`, '401 {{service}}'), q(`sum by (service) (rate(${AV}{service=~"$service", outcome="rejected", reason=~"${FORBIDDEN}"}[${RI}]))`, '403 {{service}}'), q(`sum by (service) (rate(${AV}{service=~"$service", outcome="rejected", reason="jwks_unavailable"}[${RI}]))`, '503 JWKS unavailable {{service}}')] },
    { title: 'Signature and key failures', unit: 'reqps', description: 'bad_signature, unknown_kid, bad_algorithm: forged tokens or a stale JWKS after key rotation.', targets: [q(`sum by (service, reason) (rate(${AV}{service=~"$service", outcome="rejected", reason=~"bad_signature|unknown_kid|bad_algorithm"}[${RI}]))`, '{{service}} {{reason}}')] },
    { title: 'Accepted verifications by service', unit: 'reqps', w: 24, targets: [q(`sum by (service) (rate(${AV}{service=~"$service", outcome="ok"}[${RI}]))`, '{{service}}')] },

    { row: 'Sessions (auth service)' },
    { title: 'Logins by result', unit: 'ops', stack: true, targets: [q(`sum by (result) (rate(agora_logins_total[${RI}]))`, '{{result}}')] },
    { title: 'Refresh-token reuse detected', unit: 'short', description: 'Each reuse revoked a whole token family.', targets: [q(`sum(increase(agora_refresh_reuse_detected_total[${RI}]))`, 'reuses')] },
    { title: 'Registrations', unit: 'ops', targets: [q(`sum(rate(agora_registrations_total[${RI}]))`, 'registrations')] },

    { row: 'Sidecar (Istio RequestAuthentication / AuthorizationPolicy)' },
    { title: '401 / 403 answered at the destination sidecar or service', unit: 'reqps', description: 'Istio standard metric, reporter=destination: both the sidecar\'s and the service\'s rejections.', targets: [q(`sum by (destination_workload, response_code) (rate(istio_requests_total{reporter="destination", destination_workload_namespace="agora", response_code=~"401|403"}[${RI}]))`, '{{destination_workload}} {{response_code}}')] },
  ],
});

const IR = 'istio_requests_total';
const MSEL = 'reporter="destination", destination_workload_namespace="agora", destination_workload=~"$workload"';
const meshTraffic = dashboard({
  uid: 'agora-mesh-traffic',
  title: 'Agora / Mesh traffic',
  description: 'Traffic between workloads as Envoy sees it (Istio standard metrics, reporter=destination unless noted).',
  tags: ['istio', 'mesh'],
  variables: [queryVariable('workload', 'Destination workload', `label_values(${IR}{reporter="destination", destination_workload_namespace="agora"}, destination_workload)`, { multi: true, includeAll: true, allValue: '.*' })],
  items: [
    { row: 'Traffic' },
    { title: 'Requests by source and destination workload', unit: 'reqps', targets: [q(`sum by (source_workload, destination_workload) (rate(${IR}{${MSEL}}[${RI}]))`, '{{source_workload}} → {{destination_workload}}')] },
    { title: 'Requests by response code', unit: 'reqps', stack: true, targets: [q(`sum by (response_code) (rate(${IR}{${MSEL}}[${RI}]))`, '{{response_code}}')] },
    { title: '5xx ratio by destination', unit: 'percentunit', min: 0, targets: [q(`sum by (destination_workload) (rate(${IR}{${MSEL}, response_code=~"5.."}[${RI}])) / sum by (destination_workload) (rate(${IR}{${MSEL}}[${RI}]))`, '{{destination_workload}}')] },
    { title: 'Envoy response flags (non-empty)', unit: 'reqps', description: 'UF upstream failure, UO overflow, URX retries exhausted, UT timeout, NR no route, UAEX external authz denied.', targets: [q(`sum by (destination_workload, response_flags) (rate(${IR}{${MSEL}, response_flags!="-"}[${RI}]))`, '{{destination_workload}} {{response_flags}}')] },

    { row: 'Latency' },
    { title: 'P99 by destination workload', unit: 'ms', targets: [q(`histogram_quantile(0.99, sum by (destination_workload, le) (rate(istio_request_duration_milliseconds_bucket{${MSEL}}[${RI}])))`, '{{destination_workload}}')] },
    { title: 'P99 by source → destination', unit: 'ms', targets: [q(`histogram_quantile(0.99, sum by (source_workload, destination_workload, le) (rate(istio_request_duration_milliseconds_bucket{${MSEL}}[${RI}])))`, '{{source_workload}} → {{destination_workload}}')] },

    { row: 'Security and connections' },
    { title: 'Requests by mTLS policy', unit: 'reqps', description: 'Under STRICT mTLS everything inside the mesh is mutual_tls.', targets: [q(`sum by (connection_security_policy) (rate(${IR}{${MSEL}}[${RI}]))`, '{{connection_security_policy}}')] },
    { title: 'TCP connections opened by Agora workloads (reporter=source)', unit: 'cps', description: 'E.g. to PostgreSQL: a storm means pools are reconnecting.', targets: [q(`sum by (source_workload, destination_service_name) (rate(istio_tcp_connections_opened_total{reporter="source", source_workload_namespace="agora"}[${RI}]))`, '{{source_workload}} → {{destination_service_name}}')] },
    { type: 'table', title: 'Traffic matrix (requests / s, last 5m)', unit: 'reqps', w: 24, targets: [q(`sum by (source_workload, destination_workload, response_code) (rate(${IR}{${MSEL}}[5m]))`)] },
  ],
});

const DSEL = 'service=~"$service"';
const database = dashboard({
  uid: 'agora-database',
  title: 'Agora / Database',
  description: 'Each service\'s PostgreSQL pool (per instance) and query durations, from the services\' own metrics.',
  tags: ['database'],
  variables: [queryVariable('service', 'Service', 'label_values(db_pool_connections, service)', { multi: true, includeAll: true, allValue: '.*' })],
  items: [
    { row: 'Pool' },
    { title: 'Connections by state', unit: 'short', stack: true, targets: [q(`sum by (service, state) (db_pool_connections{${DSEL}})`, '{{service}} {{state}}')] },
    { title: 'Callers waiting for a connection', unit: 'short', thresholds: [{ color: 'green', value: null }, { color: 'red', value: 1 }], targets: [q(`max by (service, instance) (db_pool_connections{${DSEL}, state="waiting"})`, '{{service}} {{instance}}')] },
    { title: 'Pool utilisation (used / open)', unit: 'percentunit', min: 0, max: 1, thresholds: [{ color: 'green', value: null }, { color: 'red', value: 0.9 }], targets: [q(`service_instance:db_pool_utilisation:ratio{${DSEL}}`, '{{service}} {{instance}}')] },
    { title: 'Used connections by instance', unit: 'short', targets: [q(`sum by (service, instance) (db_pool_connections{${DSEL}, state="used"})`, '{{service}} {{instance}}')] },

    { row: 'Queries' },
    { title: 'Queries / s by operation', unit: 'ops', targets: [q(`sum by (service, operation) (rate(db_query_duration_seconds_count{${DSEL}}[${RI}]))`, '{{service}} {{operation}}')] },
    { title: 'Query p99 by operation', unit: 's', links: traceLinks('${service}'), targets: [q(`histogram_quantile(0.99, sum by (service, operation, le) (rate(db_query_duration_seconds_bucket{${DSEL}}[${RI}])))`, '{{service}} {{operation}}', { exemplar: true })] },
    { title: 'Query p50 by operation', unit: 's', targets: [q(`histogram_quantile(0.5, sum by (service, operation, le) (rate(db_query_duration_seconds_bucket{${DSEL}}[${RI}])))`, '{{service}} {{operation}}')] },
    { title: 'Mean query time by service', unit: 's', targets: [q(`sum by (service) (rate(db_query_duration_seconds_sum{${DSEL}}[${RI}])) / sum by (service) (rate(db_query_duration_seconds_count{${DSEL}}[${RI}]))`, '{{service}}')] },
  ],
});

const DASHBOARDS = { 'service-red.json': serviceRed, 'auth-security.json': authSecurity, 'mesh-traffic.json': meshTraffic, 'database.json': database };

const check = process.argv.includes('--check');
let drift = 0;
for (const [file, dash] of Object.entries(DASHBOARDS)) {
  const text = `${JSON.stringify(dash, null, 2)}\n`;
  const path = join(OUT, file);
  if (check) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {}
    if (current !== text) {
      console.error(`${file} differs from generate-dashboards.mjs: run node observability/grafana/generate-dashboards.mjs`);
      drift++;
    }
  } else {
    writeFileSync(path, text);
  }
}
process.exit(drift ? 1 : 0);
