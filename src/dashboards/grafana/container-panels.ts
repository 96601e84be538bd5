import {
  BigValueColorMode,
  BigValueGraphMode,
  GraphDrawStyle,
  LineStyleBuilder,
  ReduceDataOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { metricDataLinks, type LinkContext } from './data-links.ts';
import { PROMETHEUS } from './datasources.ts';
import { byNames, legend, promTarget, thresholds, tooltip } from './panel-parts.ts';
import { containerQueries as q, type ServiceScope } from './promql.ts';

export type PanelContext = ServiceScope & LinkContext;

/** A single number over the dashboard's time range, coloured by thresholds. */
function healthStat(
  title: string,
  description: string,
  expr: string,
  steps: readonly (readonly [number, string])[],
  base = 'green',
): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .withTarget(promTarget('A', expr, title))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .graphMode(BigValueGraphMode.None)
    .colorMode(BigValueColorMode.Background)
    .noValue('0')
    .decimals(0)
    .thresholds(thresholds(steps, base));
}

export function containersUpStat(ctx: PanelContext): stat.PanelBuilder {
  return healthStat(
    'Containers up',
    'Containers of the service that cAdvisor reports now.',
    q.up(ctx),
    [[1, 'green']],
    'red',
  );
}

export function restartsStat(ctx: PanelContext): stat.PanelBuilder {
  return healthStat(
    'Restarts',
    'Container starts within the time range (cAdvisor has no restart counter: a restart or re-creation changes container_start_time_seconds).',
    q.restarts(ctx),
    [
      [1, 'yellow'],
      [3, 'red'],
    ],
  );
}

export function oomKillsStat(ctx: PanelContext): stat.PanelBuilder {
  return healthStat(
    'OOM kills',
    'Out-of-memory kills within the time range (container_oom_events_total).',
    q.oomKills(ctx),
    [[1, 'red']],
  );
}

/** A time series panel over Prometheus with the data links to logs and traces. */
function metricSeries(ctx: PanelContext, title: string, description: string, unit: string) {
  return new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .unit(unit)
    .lineWidth(1)
    .fillOpacity(10)
    .legend(legend(true))
    .tooltip(tooltip())
    .dataLinks(metricDataLinks(ctx));
}

/**
 * Limits are drawn as red dashed lines. Every limit series is named "limit" so one `byNames` override
 * styles them all: the dashboard schema types matcher options and override values as objects, which
 * rules out the string-valued `byRegexp` matcher and scalar overrides.
 */
const LIMIT = 'limit';
const limitLine = byNames([LIMIT], [
  { id: 'custom.lineStyle', value: new LineStyleBuilder().fill('dash').dash([10, 10]).build() },
  { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
]);

export function cpuPanel(ctx: PanelContext): timeseries.PanelBuilder {
  return metricSeries(
    ctx,
    'CPU (cores)',
    'CPU time used per second by each container (rate of container_cpu_usage_seconds_total); dashed: the CFS quota.',
    'none',
  )
    .min(0)
    .withTarget(promTarget('A', q.cpuCores(ctx), '{{name}}'))
    .withTarget(promTarget('B', q.cpuLimitCores(ctx), LIMIT))
    .withOverride(limitLine);
}

export function cpuThrottlingPanel(ctx: PanelContext): timeseries.PanelBuilder {
  return metricSeries(
    ctx,
    'CPU throttling',
    'Share of CFS periods in which the container was throttled (throttled periods / periods).',
    'percentunit',
  )
    .min(0)
    .max(1)
    .withTarget(promTarget('A', q.cpuThrottled(ctx), '{{name}}'));
}

export function memoryPanel(ctx: PanelContext): timeseries.PanelBuilder {
  return metricSeries(
    ctx,
    'Memory working set vs limit',
    'Working set (container_memory_working_set_bytes: what the OOM killer and evictions look at, unlike usage which counts reclaimable cache); dashed: the memory limit.',
    'bytes',
  )
    .min(0)
    .withTarget(promTarget('A', q.memoryWorkingSet(ctx), '{{name}}'))
    .withTarget(promTarget('B', q.memoryLimit(ctx), LIMIT))
    .withOverride(limitLine);
}

export function filesystemUsagePanel(ctx: PanelContext): timeseries.PanelBuilder {
  return metricSeries(ctx, 'Filesystem usage', 'Bytes used on the container filesystems.', 'bytes')
    .min(0)
    .withTarget(promTarget('A', q.fsUsage(ctx), '{{name}}'));
}

export function filesystemIoPanel(ctx: PanelContext): timeseries.PanelBuilder {
  return metricSeries(ctx, 'Filesystem I/O', 'Bytes read (up) and written (down) per second.', 'Bps')
    .withTarget(promTarget('A', q.fsReads(ctx), '{{name}} read'))
    .withTarget(promTarget('B', q.fsWrites(ctx), '{{name}} write'));
}

export function networkPanel(ctx: PanelContext): timeseries.PanelBuilder {
  return metricSeries(
    ctx,
    'Network rx / tx',
    'Bytes received (up) and transmitted (down) per second, over all interfaces.',
    'Bps',
  )
    .withTarget(promTarget('A', q.networkRx(ctx), '{{name}} rx'))
    .withTarget(promTarget('B', q.networkTx(ctx), '{{name}} tx'));
}

export function networkErrorsPanel(ctx: PanelContext): timeseries.PanelBuilder {
  return metricSeries(
    ctx,
    'Network errors and drops',
    'Receive/transmit errors and dropped packets per second.',
    'pps',
  )
    .min(0)
    .drawStyle(GraphDrawStyle.Bars)
    .withTarget(promTarget('A', q.networkRxErrors(ctx), '{{name}} rx errors'))
    .withTarget(promTarget('B', q.networkTxErrors(ctx), '{{name}} tx errors'))
    .withTarget(promTarget('C', q.networkRxDrops(ctx), '{{name}} rx drops'))
    .withTarget(promTarget('D', q.networkTxDrops(ctx), '{{name}} tx drops'));
}
