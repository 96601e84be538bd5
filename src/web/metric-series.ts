import type { MetricEvent } from '../core/event.ts';
import { millisOf } from './format.ts';

/** One container's samples of one metric, summed over its other labels (cpu, interface, device). */
type ContainerSamples = Map<string, { t: number; v: number }[]>;

function byContainer(events: readonly MetricEvent[]): ContainerSamples {
  const sums = new Map<string, Map<number, number>>();
  for (const event of events) {
    const container = event.container ?? event.host ?? '?';
    const t = millisOf(event.time);
    if (!Number.isFinite(t) || !Number.isFinite(event.value)) continue;
    const perTime = sums.get(container) ?? new Map<number, number>();
    perTime.set(t, (perTime.get(t) ?? 0) + event.value);
    sums.set(container, perTime);
  }
  const out: ContainerSamples = new Map();
  for (const [container, perTime] of sums) {
    out.set(
      container,
      [...perTime].map(([t, v]) => ({ t, v })).sort((a, b) => a.t - b.t),
    );
  }
  return out;
}

/** Per-second increase between consecutive samples of a counter; a reset (decrease) yields nothing. */
function rates(samples: readonly { t: number; v: number }[]): { t: number; v: number }[] {
  const out: { t: number; v: number }[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as { t: number; v: number };
    const b = samples[i] as { t: number; v: number };
    if (b.t > a.t && b.v >= a.v) out.push({ t: b.t, v: (b.v - a.v) / ((b.t - a.t) / 1000) });
  }
  return out;
}

export interface Window {
  fromMs: number;
  toMs: number;
  buckets: number;
}

/**
 * Sum over containers of each container's value per time bucket (the bucket's last value for a gauge,
 * its mean rate for a counter); null where no container had a sample.
 */
function bucketed(
  perContainer: Map<string, { t: number; v: number }[]>,
  window: Window,
  last: boolean,
): (number | null)[] {
  const width = (window.toMs - window.fromMs) / window.buckets;
  const total: (number | null)[] = new Array<number | null>(window.buckets).fill(null);
  for (const points of perContainer.values()) {
    const sum = new Array<number>(window.buckets).fill(0);
    const count = new Array<number>(window.buckets).fill(0);
    for (const { t, v } of points) {
      const i = Math.min(window.buckets - 1, Math.floor((t - window.fromMs) / width));
      if (i < 0) continue;
      sum[i] = last ? v : (sum[i] ?? 0) + v;
      count[i] = last ? 1 : (count[i] ?? 0) + 1;
    }
    for (let i = 0; i < window.buckets; i++) {
      const n = count[i] ?? 0;
      if (n > 0) total[i] = (total[i] ?? 0) + (sum[i] ?? 0) / n;
    }
  }
  return total;
}

export function counterSeries(events: readonly MetricEvent[], window: Window): (number | null)[] {
  const perContainer = new Map([...byContainer(events)].map(([c, s]) => [c, rates(s)] as const));
  return bucketed(perContainer, window, false);
}

export function gaugeSeries(events: readonly MetricEvent[], window: Window): (number | null)[] {
  return bucketed(byContainer(events), window, true);
}

/** Current per-second rate of a counter: each container's last interval, summed. Null without two samples. */
export function latestRate(events: readonly MetricEvent[]): number | null {
  let total: number | null = null;
  for (const samples of byContainer(events).values()) {
    const last = rates(samples).at(-1);
    if (last) total = (total ?? 0) + last.v;
  }
  return total;
}

/** Sum over containers of each one's latest value; with `positiveOnly`, null unless all are above zero. */
export function latestGauge(events: readonly MetricEvent[], positiveOnly = false): number | null {
  let total: number | null = null;
  for (const samples of byContainer(events).values()) {
    const last = samples.at(-1);
    if (!last) continue;
    if (positiveOnly && last.v <= 0) return null;
    total = (total ?? 0) + last.v;
  }
  return total;
}

export function containersIn(events: readonly MetricEvent[]): string[] {
  return [...byContainer(events).keys()].sort();
}
