import { describe, expect, it } from 'vitest';
import { checkExpression, exposedSeriesNames, loadRegistry, metricNames, selectors, substituteGrafanaVariables } from './promql.js';

describe('metricNames', () => {
  it('finds metric names and ignores functions, keywords, labels, ranges and numbers', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (service, le) (rate(http_server_request_duration_seconds_bucket{service=~"$service", route="/a{b}"}[$__rate_interval])))',
      ),
    ).toEqual(['http_server_request_duration_seconds_bucket']);
    expect(
      metricNames(
        'sum(rate(a_total{x="y"}[5m] offset 1d)) by (service) / on (service) group_left (route) (b:rec:rate5m > bool 1e-9) and ignoring(state) c unless d or 14.4 * 0.005',
      ),
    ).toEqual(['a_total', 'b:rec:rate5m', 'c', 'd']);
    expect(metricNames('max_over_time(up[1h:5m]) @ end()')).toEqual(['up']);
    expect(metricNames('label_replace(x, "dst", "$1", "src", "(.*)")')).toEqual(['x']);
    expect(metricNames('topk(5, sum without (pod, instance) (rate(y_total[5m])))')).toEqual(['y_total']);
    expect(metricNames('count_values("v", z)')).toEqual(['z']);
  });

  it('understands Grafana variable queries', () => {
    expect(metricNames('label_values(http_server_request_duration_seconds_count{service="$service"}, route)')).toEqual([
      'http_server_request_duration_seconds_count',
    ]);
    expect(metricNames('label_values(service)')).toEqual([]);
    expect(metricNames('query_result(topk(3, m))')).toEqual(['m']);
  });
});

describe('selectors', () => {
  it('returns names with their matchers', () => {
    expect(selectors('rate(a_bucket{le="0.5", service=~"$service"}[5m]) / b')).toEqual([
      {
        name: 'a_bucket',
        matchers: [
          { label: 'le', op: '=', value: '0.5' },
          { label: 'service', op: '=~', value: '$service' },
        ],
      },
      { name: 'b', matchers: [] },
    ]);
    expect(selectors('{__name__="x", a!="b"}')).toEqual([{ name: 'x', matchers: [{ label: 'a', op: '!=', value: 'b' }] }]);
  });
});

describe('substituteGrafanaVariables', () => {
  it('replaces dashboard and built-in variables', () => {
    expect(substituteGrafanaVariables('rate(x{service="$service",route=~"${route:regex}"}[$__rate_interval])', { service: 'auth' })).toBe(
      'rate(x{service="auth",route=~".*"}[5m])',
    );
  });
});

describe('checkExpression', () => {
  const ctx = { series: exposedSeriesNames(loadRegistry()), recorded: new Set(['service:x:rate5m']) };
  it('accepts registry metrics, histogram suffixes and recording rules', () => {
    expect(
      checkExpression('sum(rate(http_server_request_duration_seconds_bucket{le="0.5",status_class="5xx"}[5m])) / service:x:rate5m', ctx),
    ).toEqual([]);
  });
  it('rejects unknown metrics, unknown labels and impossible values', () => {
    expect(checkExpression('rate(http_requests_total[5m])', ctx)).toEqual(['unknown metric http_requests_total']);
    expect(checkExpression('http_server_request_duration_seconds{service="auth"}', ctx)).toEqual([
      'unknown metric http_server_request_duration_seconds',
    ]);
    expect(checkExpression('db_pool_connections{status="used"}', ctx)).toEqual(['db_pool_connections has no label status']);
    expect(checkExpression('db_pool_connections{state="busy"}', ctx)).toEqual(['db_pool_connections{state="busy"}: value not in used|idle|waiting']);
    expect(checkExpression('auth_token_verifications_total{reason=~"expird|bad_sig"}', ctx)).toHaveLength(1);
  });
});
