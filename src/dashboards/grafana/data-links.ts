import { DashboardLinkBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  serviceErrorLogsQuery,
  serviceLogsQuery,
  serviceSpansQuery,
  TIME_FIELD,
} from '../event-fields.ts';

export interface LinkContext {
  service: string;
  /** Tributary's base URL as people reach it. */
  publicUrl: string;
}

/**
 * Grafana interpolates `${...}` in link URLs after we encode them, so the placeholders must survive
 * `encodeURIComponent`: encode everything, then put the placeholders back.
 */
function encodeKeepingVariables(text: string): string {
  return encodeURIComponent(text).replace(/%24%7B([A-Za-z0-9_:.]+)%7D/g, '$${$1}');
}

/** Explore with one Elasticsearch query over the dashboard's time range. */
function exploreUrl(query: string, metric: 'logs' | 'raw_data'): string {
  const panes = {
    tributary: {
      datasource: '${elasticsearch}',
      queries: [
        {
          refId: 'A',
          datasource: { type: 'elasticsearch', uid: '${elasticsearch}' },
          query,
          metrics: [{ id: '1', type: metric }],
          bucketAggs: [],
          timeField: TIME_FIELD,
        },
      ],
      range: { from: '${__from}', to: '${__to}' },
    },
  };
  return `/explore?schemaVersion=1&orgId=1&panes=${encodeKeepingVariables(JSON.stringify(panes))}`;
}

/** encodeURIComponent plus the characters it leaves that end a Markdown link: `(`, `)`, `!`, `'`, `*`. */
function encodeStrict(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Tributary's own log query, oldest first (causal order), over the dashboard's time range. */
export function tributaryLogsUrl(ctx: LinkContext): string {
  const service = encodeStrict(ctx.service);
  return `${ctx.publicUrl}/v1/logs?service=${service}&from=\${__from:date:iso}&to=\${__to:date:iso}&sort=asc`;
}

/** Data links of the metric panels: from a spike to the logs and traces of the same time. */
export function metricDataLinks(ctx: LinkContext): DashboardLinkBuilder[] {
  return [
    new DashboardLinkBuilder('Logs in Tributary (causal order)')
      .url(tributaryLogsUrl(ctx))
      .targetBlank(true),
    new DashboardLinkBuilder('Error logs in Explore').url(exploreUrl(serviceErrorLogsQuery(ctx.service), 'logs')),
    new DashboardLinkBuilder('All logs in Explore').url(exploreUrl(serviceLogsQuery(ctx.service), 'logs')),
    new DashboardLinkBuilder('Traces (spans) in Explore').url(
      exploreUrl(serviceSpansQuery(ctx.service), 'raw_data'),
    ),
  ];
}

/** Links in the dashboard header. */
export function dashboardLinks(ctx: LinkContext): DashboardLinkBuilder[] {
  return [
    new DashboardLinkBuilder('Logs in Tributary').url(tributaryLogsUrl(ctx)).targetBlank(true).icon('doc'),
    new DashboardLinkBuilder('Tributary view')
      .url(`${ctx.publicUrl}/services/${encodeStrict(ctx.service)}`)
      .targetBlank(true)
      .icon('external link'),
  ];
}
