/**
 * One observation bounding the clock offset between two hosts: `offset(b) - offset(a)` lies in
 * `[lo, hi]` (ms; null = unbounded on that side) around time `t` (host a's clock, Unix ms). A host's
 * offset is how far its clock is ahead of true time: true = local - offset.
 *
 * An RPC gives both sides: the server's start is after the client's start and its end before the
 * client's end, so `serverEnd - clientEnd <= offset(server) - offset(client) <= serverStart - clientStart`.
 * A message gives one side: the consumer starts after the producer started.
 */
export interface OffsetSample {
  a: string;
  b: string;
  t: number;
  lo: number | null;
  hi: number | null;
}

/** Client span [cs, ce] on host a, server span [ss, se] on host b, all raw Unix ms; precisions in ms. */
export function rpcSample(
  a: string,
  b: string,
  client: { start: number; end: number; precision: number },
  server: { start: number; end: number; precision: number },
): OffsetSample | null {
  const hi = server.start + server.precision - client.start;
  const lo = server.end - client.end - client.precision;
  // A server span longer than its client span cannot be nested in it: broken data, not a bound.
  if (!(lo <= hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  return { a, b, t: client.start, lo, hi };
}

/** Producer start on host a, consumer start on host b (raw Unix ms). */
export function messageSample(
  a: string,
  b: string,
  producerStart: number,
  consumerStart: number,
  consumerPrecision: number,
): OffsetSample | null {
  const hi = consumerStart + consumerPrecision - producerStart;
  return Number.isFinite(hi) ? { a, b, t: producerStart, lo: null, hi } : null;
}
