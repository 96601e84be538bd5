import type { Alert } from '../../alerting/alert.ts';
import type { LoadedRule } from '../../alerting/load-rules.ts';
import { allOf, parseMatchers, type LabelPredicate } from '../../alerting/matchers.ts';
import type { MetricConditionInput, SeriesRefInput } from '../../alerting/rules-schema.ts';
import type { MetricEvent, TributaryEvent } from '../../core/event.ts';
import { unixMillis } from '../../core/time.ts';
import { ConditionTracker } from './condition-tracker.ts';
import { compare, entityKey, entityLabels, type RuleRunner } from './rule-runner.ts';
import { SeriesWindow } from './series-window.ts';

/** Bounds the state one rule keeps: beyond this many series, new ones are ignored (and counted). */
const MAX_SERIES = 100_000;

interface CompiledRef {
  ref: SeriesRefInput;
  matches: LabelPredicate;
}

/**
 * Threshold over cAdvisor metrics: a function (value, rate, increase, changes) of one series over a
 * window, optionally divided by another series of the same container or host, compared to a threshold,
 * held for `for`. One alert per entity (container, or host for machine metrics).
 */
export function metricRule(
  rule: LoadedRule & { metric: MetricConditionInput },
): RuleRunner & { ignoredSeries: () => number } {
  const numerator = compileRef(rule.metric);
  const denominator =
    rule.metric.divide_by === undefined
      ? null
      : compileRef(
          typeof rule.metric.divide_by === 'string'
            ? { series: rule.metric.divide_by, matchers: [], function: 'value', window: rule.metric.window }
            : rule.metric.divide_by,
        );
  const windows = new Map<string, SeriesWindow>();
  const tracker = new ConditionTracker(rule, 'cadvisor');
  let ignored = 0;

  const windowOf = (key: string, windowMs: number): SeriesWindow | null => {
    let w = windows.get(key);
    if (!w) {
      if (windows.size >= MAX_SERIES) {
        ignored++;
        return null;
      }
      windows.set(key, (w = new SeriesWindow(windowMs)));
    }
    return w;
  };

  return {
    ignoredSeries: () => ignored,
    onEvent(event: TributaryEvent): Alert[] {
      if (event.kind !== 'metric') return [];
      const side = sideOf(event, numerator, denominator);
      if (!side) return [];
      const entity = entityKey(event);
      const identity = side.name === 'n' ? seriesIdentity(event) : '';
      const time = unixMillis(event.time);
      windowOf(
        `${side.name}\u0000${entity}\u0000${side.name === 'n' ? identity : seriesIdentity(event)}`,
        side.ref.window,
      )?.add(time, event.value);
      // A denominator update re-evaluates the entity's plain series (the common case: limits, totals).
      const num = windows.get(`n\u0000${entity}\u0000${identity}`);
      const den = windows.get(`d\u0000${entity}\u0000${identity}`) ?? windows.get(`d\u0000${entity}\u0000`);
      const value = evaluate(num, den, numerator, denominator);
      if (value === null) return [];
      const holds = compare(value, rule.metric.op, rule.metric.threshold);
      const alert = tracker.update(`${entity}\u0000${identity}`, holds, entityLabels(event), value, time);
      return alert ? [alert] : [];
    },
    tick: () => [],
  };
}

function compileRef(ref: SeriesRefInput): CompiledRef {
  return { ref, matches: allOf(ref.matchers.flatMap(parseMatchers)) };
}

function sideOf(
  event: MetricEvent,
  numerator: CompiledRef,
  denominator: CompiledRef | null,
): { name: string; ref: SeriesRefInput } | null {
  if (event.name === numerator.ref.series && numerator.matches(event.labels))
    return { name: 'n', ref: numerator.ref };
  if (denominator && event.name === denominator.ref.series && denominator.matches(event.labels))
    return { name: 'd', ref: denominator.ref };
  return null;
}

/** Labels that tell two series of one container apart where a rule must not mix them (cpu, interface, device). */
function seriesIdentity(event: MetricEvent): string {
  return [event.labels.cpu, event.labels.interface, event.labels.device]
    .filter((v) => v !== undefined)
    .join('/');
}

function evaluate(
  num: SeriesWindow | undefined,
  den: SeriesWindow | undefined,
  numerator: CompiledRef,
  denominator: CompiledRef | null,
): number | null {
  const n = num?.apply(numerator.ref.function) ?? null;
  if (n === null) return null;
  if (!denominator) return n;
  const d = den?.apply(denominator.ref.function) ?? null;
  if (d === null || d === 0) return null;
  return n / d;
}
