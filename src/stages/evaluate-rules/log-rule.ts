import type { Alert } from '../../alerting/alert.ts';
import type { LoadedRule } from '../../alerting/load-rules.ts';
import { compileSearch } from '../../alerting/matchers.ts';
import type { TributaryEvent } from '../../core/event.ts';
import { unixMillis } from '../../core/time.ts';
import { ConditionTracker } from './condition-tracker.ts';
import type { RuleRunner } from './rule-runner.ts';

const MAX_SERVICES = 10_000;

/**
 * Log counts per service: logs with one of `level` and/or whose message contains `pattern` (RE2, linear
 * time), counted over a sliding window; fires above `count_over`, resolves when the count falls back.
 */
export function logRule(
  rule: LoadedRule & { log: { level?: string[]; pattern?: string; count_over: number; window: number } },
): RuleRunner {
  const levels = rule.log.level ? new Set(rule.log.level.map((l) => l.toLowerCase())) : null;
  const search = rule.log.pattern === undefined ? null : compileSearch(rule.log.pattern);
  const hits = new Map<string, { times: number[]; labels: Record<string, string> }>();
  const tracker = new ConditionTracker(rule, 'logstash');

  const evaluate = (service: string, now: number): Alert | null => {
    const entry = hits.get(service);
    if (!entry) return null;
    while (entry.times.length > 0 && (entry.times[0] ?? 0) <= now - rule.log.window) entry.times.shift();
    const count = entry.times.length;
    if (count === 0) hits.delete(service);
    return tracker.update(service, count > rule.log.count_over, entry.labels, count, now);
  };

  return {
    onEvent(event: TributaryEvent): Alert[] {
      if (event.kind !== 'log') return [];
      if (levels && !levels.has(event.level ?? '')) return [];
      if (search && !search(event.message)) return [];
      const service = event.service ?? event.host ?? 'unknown';
      let entry = hits.get(service);
      if (!entry) {
        if (hits.size >= MAX_SERVICES) return [];
        entry = { times: [], labels: { service, ...(event.host ? { host: event.host } : {}) } };
        hits.set(service, entry);
      }
      const time = unixMillis(event.time);
      entry.times.push(time);
      // Bounded memory: the count only needs to exceed the threshold.
      if (entry.times.length > rule.log.count_over + 1000)
        entry.times.splice(0, entry.times.length - rule.log.count_over - 1000);
      const alert = evaluate(service, time);
      return alert ? [alert] : [];
    },
    tick(now: number): Alert[] {
      const out: Alert[] = [];
      for (const service of new Set([...hits.keys(), ...tracker.keys()])) {
        const alert = hits.has(service) ? evaluate(service, now) : tracker.update(service, false, {}, 0, now);
        if (alert) out.push(alert);
      }
      return out;
    },
  };
}
