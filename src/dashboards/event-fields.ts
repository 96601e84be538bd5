/**
 * What both Grafana and Kibana dashboards know about Tributary's event indices: their pattern, the
 * fields they chart on (see src/store/elasticsearch/index-template.ts) and the queries per service.
 * The queries are written in the subset common to Lucene and KQL (`field:"value"`, AND, OR), so one
 * text serves the Grafana Elasticsearch datasource and Kibana.
 */
export const EVENT_INDEX_PATTERN = 'tributary-events-*';
export const TIME_FIELD = 'time';
export const ERROR_LEVELS: readonly string[] = ['error', 'fatal', 'critical'];

/** A double-quoted phrase with `\` and `"` escaped: exact match in Lucene and KQL, no query syntax. */
export function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function serviceLogsQuery(service: string): string {
  return `kind:log AND service:${quoted(service)}`;
}

export function serviceErrorLogsQuery(service: string): string {
  return `${serviceLogsQuery(service)} AND level:(${ERROR_LEVELS.join(' OR ')})`;
}

export function serviceSpansQuery(service: string): string {
  return `kind:span AND service:${quoted(service)}`;
}

export function serviceChecksQuery(service: string): string {
  return `kind:check AND service:${quoted(service)}`;
}
