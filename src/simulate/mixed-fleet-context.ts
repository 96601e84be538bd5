import { spanEventSpanId } from '../sources/pinpoint/to-span-events.ts';
import { spanIdToHex, traceIdFromTransactionId } from '../sources/pinpoint/transaction-id.ts';
import { logstashRecord } from './mixed-fleet-payloads.ts';
import type { FleetState, HopPlan, RequestPayloads } from './mixed-fleet-request.ts';
import type { RequestTimeline } from './mixed-fleet-timeline.ts';
import { hex } from './random.ts';

export interface PinpointTransaction {
  agentId: string;
  agentStartTime: string;
  sequence: string;
}

/** The ids one request gets: two OTel traces, two Pinpoint transactions, and their spans. */
export interface RequestIds {
  storefrontTrace: string;
  storefrontServer: string;
  storefrontClient: string;
  pricingTrace: string;
  pricingServer: string;
  pricingWork: string;
  pricingClient: string;
  ordersTx: PinpointTransaction;
  catalogTx: PinpointTransaction;
  ordersSpan: bigint;
  inventorySpan: bigint;
  /** The span id orders gives pricing in Pinpoint-SpanID (pricing, an OTel service, never uses it). */
  pricingPinpointSpan: bigint;
  catalogSpan: bigint;
  orderId: number;
  sku: number;
}

/** What every service's part of a request needs: ids, timeline, clocks, and where to put the output. */
export interface RequestContext {
  state: FleetState;
  plan: HopPlan;
  time: RequestTimeline;
  ids: RequestIds;
  out: RequestPayloads;
  /** A marker unique to the n-th log line of the request. */
  marker(n: number): string;
  /** A true time as an OTel SDK on `host` stamps it (ms, fractional). */
  otelClock(host: string, ms: number): number;
  /** A true time as a Pinpoint agent on `host` stamps it (whole ms). */
  pinpointClock(host: string, ms: number): number;
}

export function createRequestContext(
  state: FleetState,
  id: number,
  plan: HopPlan,
  time: RequestTimeline,
  out: RequestPayloads,
): RequestContext {
  const r = state.random;
  const ids: RequestIds = {
    storefrontTrace: hex(r, 32),
    storefrontServer: hex(r, 16),
    storefrontClient: hex(r, 16),
    pricingTrace: hex(r, 32),
    pricingServer: hex(r, 16),
    pricingWork: hex(r, 16),
    pricingClient: hex(r, 16),
    ordersTx: transaction(state, time.hosts.orders),
    catalogTx: transaction(state, 'catalog-01'),
    ordersSpan: pinpointSpanId(r),
    inventorySpan: pinpointSpanId(r),
    pricingPinpointSpan: pinpointSpanId(r),
    catalogSpan: pinpointSpanId(r),
    orderId: 1 + Math.floor(r() * 1_000_000),
    sku: 1 + Math.floor(r() * 500),
  };
  const offset = (host: string): number => state.offsets.get(host) ?? 0;
  return {
    state,
    plan,
    time,
    ids,
    out,
    marker: (n) => `[req=${id} log=${n}]`,
    otelClock: (host, ms) => ms + offset(host),
    pinpointClock: (host, ms) => Math.floor(ms + offset(host)),
  };
}

export function txText(tx: PinpointTransaction): string {
  return `${tx.agentId}^${tx.agentStartTime}^${tx.sequence}`;
}

/** Truth keys, `<traceId>/<spanId>` as the parsers will shape them. */
export const spanKeys = {
  otel: (traceId: string, spanId: string): string => `${traceId}/${spanId}`,
  pinpointSpan: (tx: PinpointTransaction, span: bigint): string =>
    `${traceIdFromTransactionId(tx)}/${spanIdToHex(span)}`,
  pinpointEvent: (
    tx: PinpointTransaction,
    span: bigint,
    sequence: number,
    asyncId: number | null = null,
  ): string =>
    `${traceIdFromTransactionId(tx)}/${spanEventSpanId(txText(tx), span, sequence, asyncId === null ? null : { asyncId, sequence: 0 })}`,
};

/** A JSON log line of a Java service, as Logstash ships it, stamped with its host's clock. */
export function javaLog(
  ctx: RequestContext,
  host: string,
  service: string,
  trueMs: number,
  message: string,
  more: { mdc?: Record<string, string>; extra?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const file = `/var/log/${service}/app.json`;
  const offset = (ctx.state.logOffsets.get(`${host}:${file}`) ?? 0) + 1;
  ctx.state.logOffsets.set(`${host}:${file}`, offset);
  return logstashRecord({
    timeMs: ctx.otelClock(host, trueMs),
    host,
    service,
    level: 'info',
    message,
    file,
    offset,
    ...more,
  });
}

function transaction(state: FleetState, agentId: string): PinpointTransaction {
  const sequence = (state.sequences.get(agentId) ?? 0) + 1;
  state.sequences.set(agentId, sequence);
  return { agentId, agentStartTime: state.agentStart.get(agentId) ?? '1', sequence: String(sequence) };
}

/** A random signed 64-bit Pinpoint span id (never 0 or -1). */
function pinpointSpanId(random: () => number): bigint {
  const id = BigInt.asIntN(64, BigInt(`0x${hex(random, 16)}`));
  return id === 0n || id === -1n ? 1n : id;
}
