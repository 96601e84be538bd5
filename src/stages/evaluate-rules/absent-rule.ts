import type { Alert } from '../../alerting/alert.ts';
import type { LoadedRule } from '../../alerting/load-rules.ts';
import { allOf, parseMatchers } from '../../alerting/matchers.ts';
import type { TributaryEvent } from '../../core/event.ts';
import { unixMillis } from '../../core/time.ts';
import { ConditionTracker } from './condition-tracker.ts';
import { entityKey, entityLabels, type RuleRunner } from './rule-runner.ts';

const MAX_ENTITIES = 100_000;

/**
 * A container (or host) that was reporting a series and stopped: fires `for` after its last sample,
 * resolves when it reports again. Only entities seen once can go absent.
 */
export function absentRule(
  rule: LoadedRule & { absent: { series: string; matchers: string[] } },
): RuleRunner {
  const matches = allOf(rule.absent.matchers.flatMap(parseMatchers));
  const lastSeen = new Map<string, { at: number; labels: Record<string, string> }>();
  // `for` is the silence that counts as absent: the tracker itself needs no extra wait.
  const tracker = new ConditionTracker({ ...rule, for: 0 }, 'cadvisor');
  return {
    onEvent(event: TributaryEvent): Alert[] {
      if (event.kind !== 'metric' || event.name !== rule.absent.series || !matches(event.labels)) return [];
      const key = entityKey(event);
      if (!lastSeen.has(key) && lastSeen.size >= MAX_ENTITIES) return [];
      const labels = entityLabels(event);
      const time = unixMillis(event.time);
      lastSeen.set(key, { at: Math.max(time, lastSeen.get(key)?.at ?? 0), labels });
      const alert = tracker.update(key, false, labels, null, time);
      return alert ? [alert] : [];
    },
    tick(now: number): Alert[] {
      const out: Alert[] = [];
      for (const [key, seen] of lastSeen) {
        if (now - seen.at < Math.max(rule.for, 1)) continue;
        const alert = tracker.update(key, true, seen.labels, (now - seen.at) / 1000, now);
        if (alert) out.push(alert);
      }
      return out;
    },
  };
}
