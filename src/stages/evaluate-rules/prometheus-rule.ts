import { fingerprintOf, type Alert } from '../../alerting/alert.ts';
import type { LoadedRule } from '../../alerting/load-rules.ts';
import { allOf, parseMatchers } from '../../alerting/matchers.ts';
import type { TributaryEvent } from '../../core/event.ts';
import { unixMillis } from '../../core/time.ts';
import type { RuleRunner } from './rule-runner.ts';

/**
 * Alerts Prometheus sent to /api/v2/alerts: passed on as they are (their own labels, start and end),
 * with the rule's labels added where the alert has none of that name.
 */
export function prometheusRule(rule: LoadedRule & { prometheus: { matchers: string[] } }): RuleRunner {
  const matches = allOf(rule.prometheus.matchers.flatMap(parseMatchers));
  return {
    onEvent(event: TributaryEvent, now: number): Alert[] {
      if (event.kind !== 'alert' || !matches(event.labels)) return [];
      const labels = { ...rule.labels, ...event.labels };
      const endsAt = event.endsAt === null ? null : unixMillis(event.endsAt);
      return [
        {
          labels,
          annotations: { ...rule.annotations, ...event.annotations },
          startsAt: unixMillis(event.time),
          endsAt: event.status === 'resolved' ? Math.min(endsAt ?? now, now) : endsAt,
          updatedAt: now,
          generatorURL:
            typeof event.attributes.generatorURL === 'string' ? event.attributes.generatorURL : '',
          fingerprint: fingerprintOf(labels),
          source: event.source,
        },
      ];
    },
    tick: () => [],
  };
}
