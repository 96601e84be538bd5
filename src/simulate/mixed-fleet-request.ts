import { createRequestContext, txText } from './mixed-fleet-context.ts';
import { emitCatalog, emitInventory, emitOrders } from './mixed-fleet-java.ts';
import { emitPricing, emitStorefront } from './mixed-fleet-node.ts';
import { requestTimeline } from './mixed-fleet-timeline.ts';

/** The evidence one cross-system hop leaves: what lets a reader join its two ends exactly. */
export type HopEvidence = 'header' | 'traceparent' | 'log' | 'none';

export interface HopPlan {
  storefrontToOrders: Exclude<HopEvidence, 'header'>;
  ordersToPricing: Extract<HopEvidence, 'header' | 'none'>;
  pricingToCatalog: Exclude<HopEvidence, 'header'>;
}

export interface FleetState {
  random: () => number;
  /** True clock offset of each host, ms (what it reads minus the true time). */
  offsets: ReadonlyMap<string, number>;
  agentStart: ReadonlyMap<string, string>;
  sequences: Map<string, number>;
  logOffsets: Map<string, number>;
}

/** A cross-system call of a simulated request, with the true ends as `<traceId>/<spanId>` keys. */
export interface SimulatedHop {
  from: string;
  to: string;
  client: string;
  server: string;
  evidence: HopEvidence;
}

export interface SimulatedRequest {
  id: number;
  /** The storefront's trace id (OTel), where the request entered. */
  entryTraceId: string;
  /** Pinpoint transactions the request produced: orders' (with inventory) and catalog's. */
  transactionIds: string[];
  /** Every span of the request: key -> true parent key (null for the entry span). */
  parents: Record<string, string | null>;
  /** Every log line: a marker unique to it in its message -> the key of the span it was logged in. */
  logs: Record<string, string>;
  hops: SimulatedHop[];
}

export interface RequestPayloads {
  pinpoint: { agentId: string; applicationName: string; messages: unknown[] }[];
  otlpTraces: unknown[];
  otlpLogs: unknown[];
  logstash: Record<string, unknown>[];
  truth: SimulatedRequest;
}

/**
 * One request across the mixed fleet: storefront (OTel) -> orders (Pinpoint; -> inventory (Pinpoint),
 * -> pricing (OTel) -> catalog (Pinpoint), and async work in a span chunk). Times are true ms; every
 * agent stamps them with its host's clock (Pinpoint in whole ms, OTel in ns).
 */
export function simulateRequest(state: FleetState, id: number, t0: number, plan: HopPlan): RequestPayloads {
  const time = requestTimeline(state.random, t0);
  const out: RequestPayloads = {
    pinpoint: [],
    otlpTraces: [],
    otlpLogs: [],
    logstash: [],
    truth: { id, entryTraceId: '', transactionIds: [], parents: {}, logs: {}, hops: [] },
  };
  const ctx = createRequestContext(state, id, plan, time, out);
  out.truth.entryTraceId = ctx.ids.storefrontTrace;
  out.truth.transactionIds = [txText(ctx.ids.ordersTx), txText(ctx.ids.catalogTx)];
  emitStorefront(ctx);
  emitOrders(ctx);
  emitInventory(ctx);
  emitPricing(ctx);
  emitCatalog(ctx);
  return out;
}
