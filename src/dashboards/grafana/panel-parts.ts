import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  LegendDisplayMode,
  LegendPlacement,
  SortOrder,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  MappingType,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type DynamicConfigValue,
  type MatcherConfig,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import * as es from '@grafana/grafana-foundation-sdk/elasticsearch';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { TIME_FIELD } from '../event-fields.ts';
import { ELASTICSEARCH, PROMETHEUS } from './datasources.ts';

export function promTarget(refId: string, expr: string, legend: string): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder()
    .refId(refId)
    .datasource(PROMETHEUS)
    .expr(expr)
    .legendFormat(legend)
    .range();
}

export function esTarget(
  refId: string,
  query: string,
  metrics: cog.Builder<es.MetricAggregation>[],
  bucketAggs: cog.Builder<es.BucketAggregation>[] = [],
): es.DataqueryBuilder {
  return new es.DataqueryBuilder()
    .refId(refId)
    .datasource(ELASTICSEARCH)
    .query(query)
    .timeField(TIME_FIELD)
    .metrics(metrics)
    .bucketAggs(bucketAggs);
}

/**
 * The SDK's (0.0.21) Elasticsearch metric builders have no setter for `type` and leave it "unknown",
 * which Grafana cannot run: this wrapper stamps the real aggregation type on what they build.
 */
export function esMetric(
  type: 'count' | 'logs' | 'raw_data' | 'percentiles',
  builder: cog.Builder<es.MetricAggregation>,
): cog.Builder<es.MetricAggregation> {
  return { build: () => ({ ...builder.build(), type }) as es.MetricAggregation };
}

/** Time buckets on the event time; `auto` lets Grafana fit them to the panel width. */
export function timeBuckets(id: string): es.DateHistogramBuilder {
  return new es.DateHistogramBuilder()
    .id(id)
    .field(TIME_FIELD)
    .settings({ interval: 'auto', min_doc_count: '0', trimEdges: '0' });
}

export function legend(table = false): VizLegendOptionsBuilder {
  return new VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(table ? LegendDisplayMode.Table : LegendDisplayMode.List)
    .placement(LegendPlacement.Bottom)
    .calcs(table ? ['mean', 'max', 'lastNotNull'] : []);
}

export function tooltip(): VizTooltipOptionsBuilder {
  return new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending);
}

/** `base` below the first step, then each step's colour from its value on. */
export function thresholds(
  steps: readonly (readonly [number, string])[],
  base = 'green',
): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))]);
}

/** Nagios states as Tributary stores them (`status` 0-3, a keyword in Elasticsearch). */
export const NAGIOS_STATE_MAPPINGS: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: {
      '0': { text: 'OK', color: 'green', index: 0 },
      '1': { text: 'WARNING', color: 'yellow', index: 1 },
      '2': { text: 'CRITICAL', color: 'red', index: 2 },
      '3': { text: 'UNKNOWN', color: 'purple', index: 3 },
    },
  },
];

/** Colours per log level, so `error` is red on every dashboard. */
export const LEVEL_COLORS: Readonly<Record<string, string>> = {
  fatal: 'dark-red',
  critical: 'dark-red',
  error: 'red',
  warn: 'yellow',
  warning: 'yellow',
  info: 'green',
  debug: 'blue',
  trace: 'purple',
};

/** An override for the series with exactly these display names (options as an object, as the schema wants). */
export function byNames(
  names: readonly string[],
  properties: DynamicConfigValue[],
): { matcher: MatcherConfig; properties: DynamicConfigValue[] } {
  return { matcher: { id: 'byNames', options: { mode: 'include', names: [...names] } }, properties };
}
