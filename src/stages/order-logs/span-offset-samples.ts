import { messageSample, rpcSample, type OffsetSample } from './offset-sample.ts';
import type { OrderRecord } from './order-record.ts';
import type { SpanEntry } from './span-entry.ts';

/**
 * The clock-offset samples a span that just arrived completes: with its parent (it is the server of a
 * client span, or the consumer of a producer span) and with the children that arrived before it. Only
 * pairs on two different hosts say anything about clocks.
 */
export function offsetSamplesOf(
  own: SpanEntry,
  parent: SpanEntry | null,
  precisionMs: number,
): OffsetSample[] {
  const r = own.record as OrderRecord;
  const out: OffsetSample[] = [];
  const pair = (up: OrderRecord, down: OrderRecord): void => {
    if (up.host === null || down.host === null || up.host === down.host) return;
    let sample: OffsetSample | null = null;
    if (up.spanKind === 'client' && down.spanKind === 'server') {
      sample = rpcSample(
        up.host,
        down.host,
        { start: nsToMs(up.startNs), end: nsToMs(up.endNs ?? up.startNs), precision: precisionMs },
        { start: nsToMs(down.startNs), end: nsToMs(down.endNs ?? down.startNs), precision: precisionMs },
      );
    } else if (up.spanKind === 'producer' && down.spanKind === 'consumer') {
      sample = messageSample(up.host, down.host, nsToMs(up.startNs), nsToMs(down.startNs), precisionMs);
    }
    if (sample) out.push(sample);
  };
  if (parent?.record) pair(parent.record, r);
  for (const child of own.childSpans) if (child.record) pair(r, child.record);
  return out;
}

/** Unix ns to ms, exact to the microsecond. */
export function nsToMs(ns: bigint): number {
  return Number(ns / 1000n) / 1000;
}
