import {
  simulateRequest,
  type FleetState,
  type HopEvidence,
  type HopPlan,
  type RequestPayloads,
  type SimulatedRequest,
} from './mixed-fleet-request.ts';
import { pick, seededRandom } from './random.ts';

export type { HopEvidence, SimulatedHop, SimulatedRequest } from './mixed-fleet-request.ts';

/**
 * A simulated mixed fleet: Java services under the Pinpoint agent (orders, inventory, catalog) and
 * Node services under OpenTelemetry (storefront, pricing), calling each other. Each request crosses
 * both systems three times: storefront -> orders (traceparent only: orders starts a new Pinpoint
 * transaction), orders -> pricing (Pinpoint headers only: pricing starts a new OTel trace), pricing ->
 * catalog (traceparent only). Whether each hop leaves evidence that joins it exactly (orders or catalog
 * recording the traceparent header, or logging it in an access log; pricing capturing the Pinpoint
 * headers as span attributes) is decided per request; the rest can only be joined heuristically.
 * Host clocks disagree by up to `skewMs`.
 */
export interface MixedFleetOptions {
  seed: number;
  requests: number;
  /** Simulated start, epoch ms. */
  startMs: number;
  /** Each host's clock is off by a fixed amount in [-skewMs, +skewMs]. */
  skewMs: number;
  /** Mean time between request arrivals (exponential), ms. */
  meanGapMs: number;
  /** Share of requests whose every cross-system hop leaves joining evidence. */
  linkedShare: number;
}

export const DEFAULT_MIXED_FLEET: MixedFleetOptions = {
  seed: 7,
  requests: 200,
  startMs: Date.UTC(2026, 10, 24, 10, 0, 0),
  skewMs: 150,
  meanGapMs: 20,
  linkedShare: 0.6,
};

export const MIXED_FLEET_HOSTS = [
  'storefront-1',
  'storefront-2',
  'orders-01',
  'orders-02',
  'inventory-01',
  'pricing-1',
  'pricing-2',
  'catalog-01',
] as const;

export interface MixedFleet {
  /** What the agents send, request by request (Pinpoint span batches per agent, OTLP requests, Logstash events). */
  payloads: RequestPayloads[];
  requests: SimulatedRequest[];
  /** The true clock offset of each host, ms. */
  hostOffsets: Record<string, number>;
}

export function simulateMixedFleet(overrides: Partial<MixedFleetOptions> = {}): MixedFleet {
  const options = { ...DEFAULT_MIXED_FLEET, ...overrides };
  const random = seededRandom(options.seed);
  const offsets = new Map<string, number>(
    MIXED_FLEET_HOSTS.map((h) => [h, Math.round((random() * 2 - 1) * options.skewMs * 1000) / 1000]),
  );
  const agentStart = new Map(
    ['orders-01', 'orders-02', 'inventory-01', 'catalog-01'].map((a, i) => [
      a,
      String(options.startMs - 86_400_000 - i * 3_600_000),
    ]),
  );
  const state: FleetState = { random, offsets, agentStart, sequences: new Map(), logOffsets: new Map() };
  const payloads: RequestPayloads[] = [];
  let t = options.startMs;
  for (let id = 0; id < options.requests; id++) {
    t += -Math.log(1 - random()) * options.meanGapMs;
    payloads.push(simulateRequest(state, id, t, planHops(random, random() < options.linkedShare)));
  }
  return { payloads, requests: payloads.map((p) => p.truth), hostOffsets: Object.fromEntries(offsets) };
}

/** Linked: every hop gets evidence. Otherwise each hop lacks it with probability 0.6, at least one. */
function planHops(random: () => number, linked: boolean): HopPlan {
  const toJava = (): Exclude<HopEvidence, 'header'> =>
    !linked && random() < 0.6 ? 'none' : pick(random, ['traceparent', 'log'] as const);
  const toNode = (): Extract<HopEvidence, 'header' | 'none'> =>
    !linked && random() < 0.6 ? 'none' : 'header';
  const plan: HopPlan = {
    storefrontToOrders: toJava(),
    ordersToPricing: toNode(),
    pricingToCatalog: toJava(),
  };
  if (!linked && !Object.values(plan).includes('none')) {
    const hop = pick(random, ['storefrontToOrders', 'ordersToPricing', 'pricingToCatalog'] as const);
    plan[hop] = 'none';
  }
  return plan;
}
