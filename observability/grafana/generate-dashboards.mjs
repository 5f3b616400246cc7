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
  // Grafana's default thresholds (red from 80) would colour any stat without its own: a stat either
  // says what is bad, or is neutral (one step, no colour).
  if (p.thresholds) defaults.thresholds = { mode: 'absolute', steps: p.thresholds };
  else if (type === 'stat') defaults.thresholds = { mode: 'absolute', steps: [{ color: 'text', value: null }] };
  if (type === 'stat') defaults.color = { mode: 'thresholds' };
  if (type === 'timeseries') {
    defaults.custom = { drawStyle: 'line', lineWidth: 1, fillOpacity: p.stack ? 30 : 10, showPoints: 'never', spanNulls: false };
    if (p.stack) defaults.custom.stacking = { mode: 'normal', group: 'A' };
  }
  const options =
    type === 'timeseries'
      ? {
          legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['mean', 'max', 'lastNotNull'] },
          tooltip: { mode: 'multi', sort: 'desc' },
        }
      : type === 'stat'
        ? {
            reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
            colorMode: p.thresholds ? 'value' : 'none',
            graphMode: 'area',
            textMode: 'auto',
          }
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

/**
 * The Jaeger UI's address, a dashboard setting rather than a constant in every link: the default is
 * skaffold's port-forward; change it in the variable bar (or the provisioned JSON) for a real host.
 */
const JAEGER_URL_DEFAULT = 'http://localhost:16686';
const jaegerUrlVariable = () => ({
  name: 'jaeger_url',
  label: 'Jaeger UI',
  type: 'textbox',
  query: JAEGER_URL_DEFAULT,
  current: { text: JAEGER_URL_DEFAULT, value: JAEGER_URL_DEFAULT },
  options: [{ selected: true, text: JAEGER_URL_DEFAULT, value: JAEGER_URL_DEFAULT }],
  hide: 0,
});

/**
 * Rollouts and restarts as annotations on every time series: a Deployment's generation changes on
 * each rollout (kube-state-metrics, cluster); a process start time changes on each (re)start (the
 * services' own metric, so the local run shows them too).
 */
const deployAnnotations = () => [
  {
    name: 'Rollouts',
    datasource: PROM,
    enable: true,
    iconColor: 'blue',
    expr: 'changes(kube_deployment_metadata_generation{namespace="agora"}[2m]) > 0',
    step: '1m',
    titleFormat: 'rollout {{deployment}}',
    tagKeys: 'deployment',
    textFormat: 'Deployment agora/{{deployment}} changed (new generation)',
  },
  {
    name: 'Service (re)starts',
    datasource: PROM,
    enable: true,
    iconColor: 'purple',
    expr: 'changes(process_start_time_seconds{service!=""}[2m]) > 0',
    step: '1m',
    titleFormat: '{{service}} started',
    tagKeys: 'service',
    textFormat: 'A process of {{service}} started ({{instance}})',
  },
];

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
    annotations: { list: deployAnnotations() },
    links: [{ title: 'Agora dashboards', type: 'dashboards', tags: ['agora'], asDropdown: true, includeVars: false, keepTime: true }],
    templating: { list: [...variables, jaegerUrlVariable()] },
    panels: layout(items),
  };
}

// Links from latency panels to the traces of a service: Grafana Explore on the Jaeger datasource
// (uid jaeger), and the Jaeger UI at the dashboard's ${jaeger_url}. The service is the series' own
// `service` label (${__field.labels.service}), so the link works whatever the variable selection
// (All, several services); panels whose series have no service label pass the single-valued
// ${service} variable instead. The services' OpenTelemetry service.name is their topology name.
const enc = encodeURIComponent;
const exploreJaeger = (service) =>
  `/explore?left=${enc('{"datasource":"jaeger","queries":[{"refId":"A","datasource":{"type":"jaeger","uid":"jaeger"},"queryType":"search","service":"')}${service}${enc('","minDuration":"500ms"}],"range":{"from":"')}\${__from}${enc('","to":"')}\${__to}${enc('"}}')}`;
const traceLinks = (service) => [
  { title: `Slow traces of ${service} (Grafana Explore, Jaeger)`, url: exploreJaeger(service) },
  {
    title: `Slow traces of ${service} (Jaeger UI)`,
    url: `\${jaeger_url}/search?service=${service}&minDuration=500ms&lookback=1h&limit=20`,
    targetBlank: true,
  },
];
const SERIES_SERVICE = '${__field.labels.service}';

const SEL = 'service="$service", route=~"$route"';
/**
 * Series labelled by pod name: in the cluster `pod` is the pod's name (instance is its IP:port);
 * the local run has no pod, so its instance (127.0.0.1:port) stands in.
 */
const byPod = (expr) => `label_replace(${expr}, "pod", "$1", "pod;instance", ";(.+)")`;
const H = 'http_server_request_duration_seconds';

const serviceRed = dashboard({
  uid: 'agora-service-red',
  title: 'Agora / Service RED',
  description:
    "Rate, errors and duration of one service, by route; its runtime and its calls to other services. Source: the service's own prom-client metrics.",
  tags: ['red', 'slo'],
  variables: [
    queryVariable('service', 'Service', `label_values(${H}_count, service)`),
    queryVariable('route', 'Route', `label_values(${H}_count{service="$service"}, route)`, { multi: true, includeAll: true, allValue: '.*' }),
  ],
  items: [
    { row: 'Overview (SLOs: 99.5% without 5xx, 99% within 500 ms)' },
    { type: 'stat', w: 4, h: 4, title: 'Requests / s', unit: 'reqps', targets: [q(`sum(rate(${H}_count{${SEL}}[${RI}]))`)] },
    {
      type: 'stat',
      w: 4,
      h: 4,
      title: '5xx ratio (5m)',
      unit: 'percentunit',
      thresholds: [
        { color: 'green', value: null },
        { color: 'red', value: 0.005 },
      ],
      targets: [q('service:http_server_request_error_ratio:rate5m{service="$service"}')],
    },
    {
      type: 'stat',
      w: 4,
      h: 4,
      title: 'p99 latency (5m)',
      unit: 's',
      thresholds: [
        { color: 'green', value: null },
        { color: 'red', value: 0.5 },
      ],
      targets: [q('service:http_server_request_duration_seconds:p99_5m{service="$service"}')],
      links: traceLinks('${service}'),
    },
    { type: 'stat', w: 4, h: 4, title: 'In flight', unit: 'short', targets: [q('sum(http_server_requests_in_flight{service="$service"})')] },
    {
      type: 'stat',
      w: 4,
      h: 4,
      title: 'Availability burn rate (1h)',
      unit: 'x',
      description:
        "Error ratio over the last hour divided by the budget (0.5%), per SLI: app (the service's own histogram) and edge (the ingress gateway). 1 = on track; 14.4 pages.",
      thresholds: [
        { color: 'green', value: null },
        { color: 'orange', value: 6 },
        { color: 'red', value: 14.4 },
      ],
      targets: [q('service:slo_availability_error_ratio:rate1h{service="$service"} / 0.005', '{{sli}}')],
    },
    {
      type: 'stat',
      w: 4,
      h: 4,
      title: 'Latency burn rate (1h)',
      unit: 'x',
      description: 'Share of requests slower than 500 ms over the last hour divided by the budget (1%), per SLI.',
      links: traceLinks('${service}'),
      thresholds: [
        { color: 'green', value: null },
        { color: 'orange', value: 6 },
        { color: 'red', value: 14.4 },
      ],
      targets: [q('service:slo_latency_slow_ratio:rate1h{service="$service"} / 0.01', '{{sli}}')],
    },

    { row: 'Error budget (30 days)' },
    {
      type: 'stat',
      w: 6,
      h: 5,
      title: 'Availability budget left (30 d)',
      unit: 'percentunit',
      description: '1 - (5xx ratio over 30 days / 0.5%), per SLI. Below 0: overspent. Needs 30 days of data (Prometheus keeps 35).',
      thresholds: [
        { color: 'red', value: null },
        { color: 'orange', value: 0 },
        { color: 'green', value: 0.25 },
      ],
      targets: [q('service:slo_availability_error_budget_remaining:ratio30d{service="$service"}', '{{sli}}')],
    },
    {
      type: 'stat',
      w: 6,
      h: 5,
      title: 'Latency budget left (30 d)',
      unit: 'percentunit',
      links: traceLinks('${service}'),
      description: '1 - (share slower than 500 ms over 30 days / 1%), per SLI.',
      thresholds: [
        { color: 'red', value: null },
        { color: 'orange', value: 0 },
        { color: 'green', value: 0.25 },
      ],
      targets: [q('service:slo_latency_error_budget_remaining:ratio30d{service="$service"}', '{{sli}}')],
    },
    {
      title: 'Availability SLI: 5xx ratio, app vs edge (1h)',
      unit: 'percentunit',
      min: 0,
      description: 'The edge SLI (gateway) still counts when no pod can: every pod down or unready.',
      targets: [q('service:slo_availability_error_ratio:rate1h{service="$service"}', '{{sli}}')],
    },

    { row: 'Rate' },
    { title: 'Requests by route', unit: 'reqps', targets: [q(`sum by (method, route) (rate(${H}_count{${SEL}}[${RI}]))`, '{{method}} {{route}}')] },
    {
      title: 'Requests by status class',
      unit: 'reqps',
      stack: true,
      targets: [q(`sum by (status_class) (rate(${H}_count{${SEL}}[${RI}]))`, '{{status_class}}')],
    },

    { row: 'Errors' },
    {
      title: '5xx ratio by route',
      unit: 'percentunit',
      min: 0,
      targets: [
        q(
          `sum by (method, route) (rate(${H}_count{${SEL}, status_class="5xx"}[${RI}])) / sum by (method, route) (rate(${H}_count{${SEL}}[${RI}]))`,
          '{{method}} {{route}}',
        ),
      ],
    },
    {
      title: '4xx by route',
      unit: 'reqps',
      targets: [q(`sum by (method, route) (rate(${H}_count{${SEL}, status_class="4xx"}[${RI}]))`, '{{method}} {{route}}')],
    },

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
    {
      title: 'Latency p99 by route',
      unit: 's',
      links: traceLinks('${service}'),
      targets: [q(`histogram_quantile(0.99, sum by (route, le) (rate(${H}_bucket{${SEL}}[${RI}])))`, '{{route}}', { exemplar: true })],
    },
    {
      title: 'Requests slower than 500 ms (latency SLI)',
      unit: 'percentunit',
      min: 0,
      links: traceLinks('${service}'),
      targets: [q(`1 - sum(rate(${H}_bucket{${SEL}, le="0.5"}[${RI}])) / sum(rate(${H}_count{${SEL}}[${RI}]))`, 'slower than 500 ms')],
    },
    {
      title: 'Requests in flight',
      unit: 'short',
      targets: [q(`sum by (pod) (${byPod('http_server_requests_in_flight{service="$service"}')})`, '{{pod}}')],
    },

    { row: 'Calls to other services' },
    {
      title: 'Outgoing calls by callee and outcome',
      unit: 'reqps',
      targets: [
        q(`sum by (callee, outcome) (rate(mesh_client_request_duration_seconds_count{service="$service"}[${RI}]))`, '{{callee}} {{outcome}}'),
      ],
    },
    {
      title: 'Outgoing call p99 by callee',
      unit: 's',
      links: traceLinks('${service}'),
      targets: [
        q(
          `histogram_quantile(0.99, sum by (callee, le) (rate(mesh_client_request_duration_seconds_bucket{service="$service"}[${RI}])))`,
          '{{callee}}',
          { exemplar: true },
        ),
      ],
    },
    {
      title: 'Outgoing call failures by callee and reason',
      unit: 'reqps',
      w: 24,
      targets: [q(`sum by (callee, reason) (rate(mesh_client_failures_total{service="$service"}[${RI}]))`, '{{callee}} {{reason}}')],
    },

    { row: 'Runtime' },
    {
      title: 'CPU',
      unit: 'percentunit',
      w: 8,
      targets: [q(`sum by (pod) (${byPod(`rate(process_cpu_seconds_total{service="$service"}[${RI}])`)})`, '{{pod}}')],
    },
    {
      title: 'Memory',
      unit: 'bytes',
      w: 8,
      targets: [
        q(`sum by (pod) (${byPod('process_resident_memory_bytes{service="$service"}')})`, 'rss {{pod}}'),
        q(`sum by (pod) (${byPod('nodejs_heap_size_used_bytes{service="$service"}')})`, 'heap used {{pod}}'),
      ],
    },
    {
      title: 'Event-loop lag',
      unit: 's',
      w: 8,
      targets: [
        q(`max by (pod) (${byPod('nodejs_eventloop_lag_p99_seconds{service="$service"}')})`, 'p99 {{pod}}'),
        q(`max by (pod) (${byPod('nodejs_eventloop_lag_seconds{service="$service"}')})`, 'current {{pod}}'),
      ],
    },

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

    { row: 'Notifications' },
    {
      title: 'Notifications recorded / s by kind',
      unit: 'ops',
      w: 8,
      description: 'notifications only: each actor added to someone’s notifications (a grouped entry counts each).',
      targets: [q(`sum by (kind) (rate(agora_notifications_recorded_total{service="$service"}[${RI}]))`, '{{kind}}')],
    },
    {
      title: 'Open notification streams',
      unit: 'short',
      w: 8,
      description: 'notifications only: Server-Sent Events streams held open, per pod.',
      targets: [q(`sum by (pod) (${byPod('agora_notifications_streams_open{service="$service"}')})`, '{{pod}}')],
    },
    {
      title: 'Stream events pushed / s',
      unit: 'ops',
      w: 8,
      description: 'notifications only: notification and unread-count events written to open streams (not heartbeats).',
      targets: [q(`sum(rate(agora_notifications_pushed_total{service="$service"}[${RI}]))`, 'pushed')],
    },
  ],
});

const AV = 'auth_token_verifications_total';
const IR = 'istio_requests_total';
const GW = 'reporter="source", source_workload="istio-ingressgateway", destination_service_namespace="agora"';
// Rejections answer 401, except these (403) and jwks_unavailable (503): see observability/metrics.json.
const FORBIDDEN = 'forbidden_role|forbidden_workload';
const NOT_401 = `${FORBIDDEN}|jwks_unavailable`;
const authSecurity = dashboard({
  uid: 'agora-auth-security',
  title: 'Agora / Auth & security',
  description:
    'Token verifications by outcome and reason (every service), logins, refresh-token reuse, per-account rate limits, the revocation set, and what the Istio sidecars reject.',
  tags: ['security', 'auth'],
  variables: [queryVariable('service', 'Service', `label_values(${AV}, service)`, { multi: true, includeAll: true, allValue: '.*' })],
  items: [
    { row: 'Overview' },
    {
      type: 'stat',
      w: 6,
      h: 4,
      title: 'Refresh-token reuse (time range)',
      unit: 'short',
      thresholds: [
        { color: 'green', value: null },
        { color: 'red', value: 1 },
      ],
      targets: [q('sum(increase(agora_refresh_reuse_detected_total[$__range]))')],
    },
    {
      type: 'stat',
      w: 6,
      h: 4,
      title: '401 / s (token rejected)',
      unit: 'reqps',
      targets: [q(`sum(rate(${AV}{service=~"$service", outcome="rejected", reason!~"${NOT_401}"}[${RI}]))`)],
    },
    {
      type: 'stat',
      w: 6,
      h: 4,
      title: '403 / s (role or workload forbidden)',
      unit: 'reqps',
      targets: [q(`sum(rate(${AV}{service=~"$service", outcome="rejected", reason=~"${FORBIDDEN}"}[${RI}]))`)],
    },
    {
      type: 'stat',
      w: 6,
      h: 4,
      title: 'Failed logins (5m)',
      unit: 'percentunit',
      targets: [q(`sum(rate(agora_logins_total{result=~"bad_credentials|rate_limited"}[5m])) / sum(rate(agora_logins_total[5m]))`)],
    },

    { row: 'Token verification (service side, jose)' },
    {
      title: 'Rejections by reason',
      unit: 'reqps',
      stack: true,
      targets: [q(`sum by (reason) (rate(${AV}{service=~"$service", outcome="rejected"}[${RI}]))`, '{{reason}}')],
    },
    {
      title: 'Rejection ratio by service (5m)',
      unit: 'percentunit',
      min: 0,
      targets: [q('service:auth_token_rejection_ratio:rate5m{service=~"$service"}', '{{service}}')],
    },
    {
      title: '401 / 403 / 503 by service',
      unit: 'reqps',
      targets: [
        q(`sum by (service) (rate(${AV}{service=~"$service", outcome="rejected", reason!~"${NOT_401}"}[${RI}]))`, '401 {{service}}'),
        q(`sum by (service) (rate(${AV}{service=~"$service", outcome="rejected", reason=~"${FORBIDDEN}"}[${RI}]))`, '403 {{service}}'),
        q(
          `sum by (service) (rate(${AV}{service=~"$service", outcome="rejected", reason="jwks_unavailable"}[${RI}]))`,
          '503 JWKS unavailable {{service}}',
        ),
      ],
    },
    {
      title: 'Signature and key failures',
      unit: 'reqps',
      description: 'bad_signature, unknown_kid, bad_algorithm: forged tokens or a stale JWKS after key rotation.',
      targets: [
        q(
          `sum by (service, reason) (rate(${AV}{service=~"$service", outcome="rejected", reason=~"bad_signature|unknown_kid|bad_algorithm"}[${RI}]))`,
          '{{service}} {{reason}}',
        ),
      ],
    },
    {
      title: 'Accepted verifications by service',
      unit: 'reqps',
      w: 24,
      targets: [q(`sum by (service) (rate(${AV}{service=~"$service", outcome="ok"}[${RI}]))`, '{{service}}')],
    },

    { row: 'Sessions (auth service)' },
    { title: 'Logins by result', unit: 'ops', stack: true, targets: [q(`sum by (result) (rate(agora_logins_total[${RI}]))`, '{{result}}')] },
    {
      title: 'Refresh-token reuse detected',
      unit: 'short',
      description: 'Each reuse revoked a whole token family.',
      targets: [q(`sum(increase(agora_refresh_reuse_detected_total[${RI}]))`, 'reuses')],
    },
    { title: 'Registrations', unit: 'ops', targets: [q(`sum(rate(agora_registrations_total[${RI}]))`, 'registrations')] },

    { row: 'Per-account rate limits and revocation' },
    {
      title: 'Rate-limited requests by service and action',
      unit: 'reqps',
      description:
        'Requests refused with 429 because the account had used its budget for the action (mesh/src/limits). A lasting rise: a bot, or a budget too tight for real use (alert AgoraRateLimitedSpike).',
      targets: [q(`sum by (service, action) (rate(agora_rate_limited_total{service=~"$service"}[${RI}]))`, '{{service}} {{action}}')],
    },
    {
      title: 'Revocations held in memory',
      unit: 'short',
      description:
        'Ended sessions and suspended or deleted accounts each replica refuses (kept one token lifetime). Near REVOCATIONS_MAX_ENTRIES the oldest are evicted and older tokens refused.',
      targets: [q('max by (service) (agora_revocations_entries{service=~"$service"})', '{{service}}')],
    },
    {
      title: 'Revocation lag: seconds since the last read of the set',
      unit: 's',
      description:
        'Per replica, how long since it last read its revocations table (normally ≤ REVOCATIONS_REFRESH_MS, 1 s): a revocation takes effect there at most this late. Alert AgoraRevocationsStale above 30 s.',
      targets: [q('max by (service, instance) (agora_revocations_sync_age_seconds{service=~"$service"})', '{{service}} {{instance}}')],
    },
    {
      title: 'Revocations evicted at the bound; streams ended by revocation',
      unit: 'short',
      description:
        'Evictions make every older token refused (alert AgoraRevocationsEvicted). Notification streams ended because their session or account was revoked.',
      targets: [
        q(`sum by (service) (increase(agora_revocations_evicted_total{service=~"$service"}[${RI}]))`, 'evicted at {{service}}'),
        q(`sum(increase(agora_notifications_streams_revoked_total[${RI}]))`, 'streams ended'),
      ],
    },

    { row: 'Envoy: gateway and sidecars (Istio RequestAuthentication / AuthorizationPolicy)' },
    {
      type: 'stat',
      w: 6,
      h: 4,
      title: 'Gateway 401 / 403 (5m)',
      unit: 'percentunit',
      description:
        "Share of the ingress gateway's answers that were 401 or 403, including tokens Envoy refused itself (forged, expired, unknown kid), which no service counts.",
      thresholds: [
        { color: 'green', value: null },
        { color: 'orange', value: 0.1 },
        { color: 'red', value: 0.2 },
      ],
      targets: [q(`sum(service:edge_auth_refusals:rate5m) / sum(rate(${IR}{${GW}}[5m]))`)],
    },
    {
      title: 'Gateway 401 / 403 by destination, code and response flag',
      unit: 'reqps',
      w: 18,
      description:
        "reporter=source at the ingress gateway: what clients got. A refusal by Envoy's JWT filter has no upstream (destination_workload unknown); an RBAC refusal carries the flag RBAC (Istio versions that set it) or -.",
      targets: [
        q(
          `sum by (destination_service_name, response_code, response_flags) (rate(${IR}{${GW}, response_code=~"401|403"}[${RI}]))`,
          '{{destination_service_name}} {{response_code}} {{response_flags}}',
        ),
      ],
    },
    {
      title: 'Sidecar 401 / 403 between workloads',
      unit: 'reqps',
      description:
        "reporter=destination, callers other than the gateway: calls inside the mesh refused by a destination's sidecar or by the service. Never expected in normal operation (alert AgoraMeshAuthRefusals).",
      targets: [
        q(
          `sum by (source_workload, destination_workload, response_code) (rate(${IR}{reporter="destination", destination_workload_namespace="agora", source_workload!="istio-ingressgateway", response_code=~"401|403"}[${RI}]))`,
          '{{source_workload}} → {{destination_workload}} {{response_code}}',
        ),
      ],
    },
    {
      title: '401 / 403 answered at the destination sidecar or service',
      unit: 'reqps',
      description: "Istio standard metric, reporter=destination: both the sidecar's and the service's rejections.",
      targets: [
        q(
          `sum by (destination_workload, response_code) (rate(${IR}{reporter="destination", destination_workload_namespace="agora", response_code=~"401|403"}[${RI}]))`,
          '{{destination_workload}} {{response_code}}',
        ),
      ],
    },
  ],
});

const MSEL = 'reporter="destination", destination_workload_namespace="agora", destination_workload=~"$workload"';
// Callers into Agora: the ingress gateway and Agora's own workloads. destination_service_name is
// known even when no pod answered (UH), unlike destination_workload.
const SSEL = 'reporter="source", destination_service_namespace="agora", destination_service_name=~"$workload"';
const meshTraffic = dashboard({
  uid: 'agora-mesh-traffic',
  title: 'Agora / Mesh traffic',
  description:
    "Traffic between workloads as Envoy sees it (Istio standard metrics): the callers' view (reporter=source) and the serving side's (reporter=destination).",
  tags: ['istio', 'mesh'],
  variables: [
    queryVariable(
      'workload',
      'Destination workload',
      `label_values(${IR}{reporter="destination", destination_workload_namespace="agora"}, destination_workload)`,
      { multi: true, includeAll: true, allValue: '.*' },
    ),
  ],
  items: [
    { row: 'Destination view (reporter=destination: what the serving proxy saw)' },
    {
      title: 'Requests by source and destination workload',
      unit: 'reqps',
      targets: [q(`sum by (source_workload, destination_workload) (rate(${IR}{${MSEL}}[${RI}]))`, '{{source_workload}} → {{destination_workload}}')],
    },
    {
      title: 'Requests by response code',
      unit: 'reqps',
      stack: true,
      targets: [q(`sum by (response_code) (rate(${IR}{${MSEL}}[${RI}]))`, '{{response_code}}')],
    },
    {
      title: '5xx ratio by destination',
      unit: 'percentunit',
      min: 0,
      targets: [
        q(
          `sum by (destination_workload) (rate(${IR}{${MSEL}, response_code=~"5.."}[${RI}])) / sum by (destination_workload) (rate(${IR}{${MSEL}}[${RI}]))`,
          '{{destination_workload}}',
        ),
      ],
    },
    {
      title: 'Envoy response flags at the destination (non-empty)',
      unit: 'reqps',
      description:
        'Flags the serving proxy records (e.g. DC downstream closed, RBAC denied). UH, UO, URX, UT and NR are only in the source view above.',
      targets: [
        q(
          `sum by (destination_workload, response_flags) (rate(${IR}{${MSEL}, response_flags!="-"}[${RI}]))`,
          '{{destination_workload}} {{response_flags}}',
        ),
      ],
    },

    { row: "Source view (reporter=source: what the caller's proxy saw)" },
    {
      title: 'Envoy response flags by caller (UH, UO, URX, UT, NR …)',
      unit: 'reqps',
      description:
        'Only the calling proxy records these: UH no healthy upstream (every pod unready or gone), UO circuit breaker overflow, URX retries exhausted, UT upstream timeout, NR no route, UF connection failure. reporter=destination never sees them.',
      targets: [
        q(
          `sum by (source_workload, destination_service_name, response_flags) (rate(${IR}{${SSEL}, response_flags!="-"}[${RI}]))`,
          '{{source_workload}} → {{destination_service_name}} {{response_flags}}',
        ),
      ],
    },
    {
      title: '5xx ratio by destination service, seen by callers',
      unit: 'percentunit',
      min: 0,
      description: "Includes the 503s Envoy answers itself when no pod can take the request; the edge SLI uses the gateway's part of this.",
      targets: [
        q(
          `sum by (destination_service_name) (rate(${IR}{${SSEL}, response_code=~"5.."}[${RI}])) / sum by (destination_service_name) (rate(${IR}{${SSEL}}[${RI}]))`,
          '{{destination_service_name}}',
        ),
      ],
    },
    {
      title: 'Requests by caller and response code',
      unit: 'reqps',
      description: "Callers: the ingress gateway and Agora's own workloads.",
      targets: [
        q(
          `sum by (source_workload, destination_service_name, response_code) (rate(${IR}{${SSEL}}[${RI}]))`,
          '{{source_workload}} → {{destination_service_name}} {{response_code}}',
        ),
      ],
    },
    {
      title: 'P99 by destination service, seen by callers',
      unit: 'ms',
      targets: [
        q(
          `histogram_quantile(0.99, sum by (destination_service_name, le) (rate(istio_request_duration_milliseconds_bucket{${SSEL}}[${RI}])))`,
          '{{destination_service_name}}',
        ),
      ],
    },

    { row: 'Latency (destination view)' },
    {
      title: 'P99 by destination workload',
      unit: 'ms',
      targets: [
        q(
          `histogram_quantile(0.99, sum by (destination_workload, le) (rate(istio_request_duration_milliseconds_bucket{${MSEL}}[${RI}])))`,
          '{{destination_workload}}',
        ),
      ],
    },
    {
      title: 'P99 by source → destination',
      unit: 'ms',
      targets: [
        q(
          `histogram_quantile(0.99, sum by (source_workload, destination_workload, le) (rate(istio_request_duration_milliseconds_bucket{${MSEL}}[${RI}])))`,
          '{{source_workload}} → {{destination_workload}}',
        ),
      ],
    },

    { row: 'Security and connections' },
    {
      title: 'Requests by mTLS policy',
      unit: 'reqps',
      description: 'Under STRICT mTLS everything inside the mesh is mutual_tls.',
      targets: [q(`sum by (connection_security_policy) (rate(${IR}{${MSEL}}[${RI}]))`, '{{connection_security_policy}}')],
    },
    {
      title: 'TCP connections opened by Agora workloads (reporter=source)',
      unit: 'cps',
      description: 'E.g. to PostgreSQL: a storm means pools are reconnecting.',
      targets: [
        q(
          `sum by (source_workload, destination_service_name) (rate(istio_tcp_connections_opened_total{reporter="source", source_workload_namespace="agora"}[${RI}]))`,
          '{{source_workload}} → {{destination_service_name}}',
        ),
      ],
    },
    {
      type: 'table',
      title: 'Traffic matrix (requests / s, last 5m)',
      unit: 'reqps',
      w: 24,
      targets: [q(`sum by (source_workload, destination_workload, response_code) (rate(${IR}{${MSEL}}[5m]))`)],
    },
  ],
});

const DSEL = 'service=~"$service"';
const database = dashboard({
  uid: 'agora-database',
  title: 'Agora / Database',
  description: "Each service's PostgreSQL pool (per instance) and query durations, from the services' own metrics.",
  tags: ['database'],
  variables: [queryVariable('service', 'Service', 'label_values(db_pool_connections, service)', { multi: true, includeAll: true, allValue: '.*' })],
  items: [
    { row: 'Pool' },
    {
      title: 'Connections by state',
      unit: 'short',
      stack: true,
      targets: [q(`sum by (service, state) (db_pool_connections{${DSEL}})`, '{{service}} {{state}}')],
    },
    {
      title: 'Callers waiting for a connection',
      unit: 'short',
      description: 'Callers queued because every connection up to the pool maximum is in use: the saturation signal.',
      thresholds: [
        { color: 'green', value: null },
        { color: 'red', value: 1 },
      ],
      targets: [q(`max by (service, instance) (db_pool_connections{${DSEL}, state="waiting"})`, '{{service}} {{instance}}')],
    },
    {
      title: 'Pool utilisation (used / maximum)',
      unit: 'percentunit',
      description: 'Connections in use over db_pool_max_connections (DATABASE_POOL_MAX), per instance.',
      min: 0,
      max: 1,
      thresholds: [
        { color: 'green', value: null },
        { color: 'red', value: 0.9 },
      ],
      targets: [q(`service_instance:db_pool_utilisation:ratio{${DSEL}}`, '{{service}} {{instance}}')],
    },
    {
      title: 'Used connections by instance',
      unit: 'short',
      targets: [q(`sum by (service, instance) (db_pool_connections{${DSEL}, state="used"})`, '{{service}} {{instance}}')],
    },

    { row: 'Queries' },
    {
      title: 'Queries / s by operation',
      unit: 'ops',
      targets: [q(`sum by (service, operation) (rate(db_query_duration_seconds_count{${DSEL}}[${RI}]))`, '{{service}} {{operation}}')],
    },
    {
      title: 'Query p99 by operation',
      unit: 's',
      links: traceLinks(SERIES_SERVICE),
      targets: [
        q(
          `histogram_quantile(0.99, sum by (service, operation, le) (rate(db_query_duration_seconds_bucket{${DSEL}}[${RI}])))`,
          '{{service}} {{operation}}',
          { exemplar: true },
        ),
      ],
    },
    {
      title: 'Query p50 by operation',
      unit: 's',
      targets: [
        q(
          `histogram_quantile(0.5, sum by (service, operation, le) (rate(db_query_duration_seconds_bucket{${DSEL}}[${RI}])))`,
          '{{service}} {{operation}}',
        ),
      ],
    },
    {
      title: 'Mean query time by service',
      unit: 's',
      targets: [
        q(
          `sum by (service) (rate(db_query_duration_seconds_sum{${DSEL}}[${RI}])) / sum by (service) (rate(db_query_duration_seconds_count{${DSEL}}[${RI}]))`,
          '{{service}}',
        ),
      ],
    },
  ],
});

const DASHBOARDS = {
  'service-red.json': serviceRed,
  'auth-security.json': authSecurity,
  'mesh-traffic.json': meshTraffic,
  'database.json': database,
};

const check = process.argv.includes('--check');
let drift = 0;
for (const [file, dash] of Object.entries(DASHBOARDS)) {
  const text = `${JSON.stringify(dash, null, 2)}\n`;
  const path = join(OUT, file);
  if (check) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // No committed copy yet: it differs.
    }
    if (current !== text) {
      console.error(`${file} differs from generate-dashboards.mjs: run node observability/grafana/generate-dashboards.mjs`);
      drift++;
    }
  } else {
    writeFileSync(path, text);
  }
}
process.exit(drift ? 1 : 0);
