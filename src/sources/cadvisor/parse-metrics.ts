import type { MetricEvent, ParseResult, Rejection } from '../../core/event.ts';
import { instantFromUnixMillis } from '../../core/time.ts';
import { parseExposition } from '../prometheus-text/parse-exposition.ts';
import { DEFAULT_IDENTITY_RULES, type IdentityRules } from './config.ts';
import { resolveContainerIdentity } from './container-identity.ts';
import { buildMetricEvent, CADVISOR_SOURCE } from './metric-event.ts';

export interface CadvisorMetricsOptions {
  /** When the text was scraped or received: the time of samples without an explicit timestamp. */
  scrapedAt: string;
  /** Host every sample belongs to (configured override, or known to the caller). Wins over `target`. */
  host?: string | null;
  /** The scrape target URL (or `host:port`); its hostname is the host when `host` is not given. */
  target?: string | null;
  identity?: IdentityRules;
}

/**
 * cAdvisor's /metrics text → metric events, one per sample. Each sample is mapped to its container and
 * service by the identity rules, or to the host for machine metrics and the root cgroup. Explicit sample
 * timestamps (cAdvisor writes them in ms) are the event time; other samples take `scrapedAt`.
 */
export function parseCadvisorMetrics(
  text: string,
  options: CadvisorMetricsOptions,
): ParseResult<MetricEvent> {
  const parsed = parseExposition(text, { source: CADVISOR_SOURCE });
  const rules = options.identity ?? DEFAULT_IDENTITY_RULES;
  const host = options.host ?? hostOfTarget(options.target ?? null);
  const events: MetricEvent[] = [];
  const rejections: Rejection[] = parsed.rejections;

  // cAdvisor stamps a container's samples with one time: convert each distinct timestamp once.
  let lastMs: number | undefined;
  let lastInstant: string | null = null;
  for (const sample of parsed.samples) {
    let time = options.scrapedAt;
    let timestamp: string | null = null;
    if (sample.timestampMs !== undefined) {
      if (sample.timestampMs !== lastMs) {
        lastMs = sample.timestampMs;
        lastInstant = instantFromUnixMillis(lastMs);
      }
      const instant = lastInstant;
      if (instant === null) {
        rejections.push({
          source: CADVISOR_SOURCE,
          reason: 'invalid_timestamp',
          detail: `line ${sample.line}: timestamp ${sample.timestampMs} ms is not a representable instant`,
          location: `line ${sample.line}`,
          raw: `${sample.name} ${sample.valueText ?? sample.value} ${sample.timestampMs}`,
        });
        continue;
      }
      time = instant;
      timestamp = String(sample.timestampMs);
    }
    const identity = resolveContainerIdentity(sample.name, sample.labels, rules);
    const parts = {
      name: sample.name,
      labels: sample.labels,
      value: sample.value,
      metricType: sample.type,
      service: identity.service,
      host,
      container: identity.container,
      time,
      timestamp,
    };
    events.push(
      buildMetricEvent(sample.valueText === undefined ? parts : { ...parts, valueText: sample.valueText }),
    );
  }
  return { events, rejections };
}

/** `http://node-01:8080/metrics` → `node-01`; a bare `node-01:8080` works too. Null when unparseable. */
export function hostOfTarget(target: string | null): string | null {
  if (target === null || target === '') return null;
  for (const candidate of [target, `http://${target}`]) {
    try {
      const hostname = new URL(candidate).hostname;
      if (hostname !== '') return hostname.replace(/^\[(.*)\]$/, '$1');
    } catch {
      // not a URL in this form; try the next
    }
  }
  return null;
}
