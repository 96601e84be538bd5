import type { SimulatedFleet } from './causal-fleet.ts';
import type { Delivery } from './delivery.ts';
import { logstashRecord, spanUnixNanos } from './fleet-events.ts';
import { FLEET_TOPOLOGY } from './fleet-topology.ts';
import type { HostClock } from './host-clock.ts';
import type { SimEvent } from './ground-truth.ts';
import { OTLP_SPAN_KIND } from '../stages/link-traces/to-otlp.ts';

export interface CausalFleetSendOptions {
  /** Deliveries per round of posts (one Logstash post and one OTLP post at most). */
  batchSize?: number;
  /** Extra request headers, e.g. `authorization: Bearer <key>`. */
  headers?: Record<string, string>;
  /** Called after each round (progress bars). */
  onProgress?: (sent: number, total: number) => void;
  /**
   * Replay at the simulated arrival times, this many times faster than real time: a round then holds
   * what arrives within `roundMs` (50 ms) of simulated time. Off by default: as fast as the service answers.
   */
  speed?: number;
  roundMs?: number;
}

export interface SentCausalFleet {
  /** Deliveries sent (duplicates included), of which logs and spans. */
  deliveries: number;
  logs: number;
  spans: number;
  /** Records the service said it accepted, and refused one by one (kept as dead letters). */
  accepted: number;
  rejected: number;
  /** Posts not answered 200/202, with the start of their answer. */
  refused: { path: string; status: number; detail: string }[];
}

/**
 * Sends a simulated causal fleet to a running Tributary the way its agents would, in arrival order:
 * log lines as Logstash NDJSON to /v1/ingest/logstash, spans as OTLP/HTTP JSON to /v1/traces (one
 * resource per host, its clock's times). Rounds of at most `batchSize` deliveries, one after the other.
 */
export async function sendCausalFleet(
  baseUrl: string,
  fleet: SimulatedFleet,
  options: CausalFleetSendOptions = {},
): Promise<SentCausalFleet> {
  const total = fleet.deliveries.length;
  const sent: SentCausalFleet = {
    deliveries: 0,
    logs: 0,
    spans: 0,
    accepted: 0,
    rejected: 0,
    refused: [],
  };
  const post = async (path: string, body: string, contentType: string): Promise<unknown> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { ...options.headers, 'content-type': contentType },
      body,
    });
    const text = await response.text();
    if (response.status !== 200 && response.status !== 202) {
      sent.refused.push({ path, status: response.status, detail: text.slice(0, 200) });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  };
  const wallStart = Date.now();
  for (let i = 0; i < total;) {
    const round = nextRound(fleet.deliveries, i, options);
    if (options.speed !== undefined) {
      const firstArrival = (fleet.deliveries[0] as Delivery).arrivalMs;
      const due = wallStart + (round.closesMs - firstArrival) / options.speed;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    }
    const batch = fleet.deliveries.slice(i, round.end).map((d) => d.event);
    i = round.end;
    const logs = batch.filter((e) => (fleet.events[e] as SimEvent).kind === 'log');
    const spans = batch.filter((e) => (fleet.events[e] as SimEvent).kind === 'span');
    if (logs.length > 0) {
      const ndjson = logs.map((e) => JSON.stringify(logstashRecord(...simAndClock(fleet, e)))).join('\n');
      const answer = (await post('/v1/ingest/logstash', ndjson, 'application/x-ndjson')) as LogstashAnswer;
      sent.accepted += answer?.accepted ?? 0;
      sent.rejected += answer?.rejected ?? 0;
    }
    if (spans.length > 0) {
      const body = JSON.stringify(otlpTraces(fleet, spans));
      const answer = (await post('/v1/traces', body, 'application/json')) as OtlpAnswer;
      if (answer !== null) {
        const rejected = Number(answer.partialSuccess?.rejectedSpans ?? 0);
        sent.accepted += spans.length - rejected;
        sent.rejected += rejected;
      }
    }
    sent.deliveries += batch.length;
    sent.logs += logs.length;
    sent.spans += spans.length;
    options.onProgress?.(sent.deliveries, total);
  }
  return sent;
}

type LogstashAnswer = { accepted?: number; rejected?: number } | null;
type OtlpAnswer = { partialSuccess?: { rejectedSpans?: number | string } } | null;

/** The deliveries of the round starting at `i` (up to `end`), and when its last one is due. */
function nextRound(
  deliveries: readonly Delivery[],
  i: number,
  options: CausalFleetSendOptions,
): { end: number; closesMs: number } {
  let end = Math.min(deliveries.length, i + (options.batchSize ?? 500));
  const opened = (deliveries[i] as Delivery).arrivalMs;
  if (options.speed === undefined) return { end, closesMs: opened };
  const closesMs = opened + (options.roundMs ?? 50);
  let j = i + 1;
  while (j < end && (deliveries[j] as Delivery).arrivalMs <= closesMs) j += 1;
  end = j;
  return { end, closesMs };
}

function simAndClock(fleet: SimulatedFleet, index: number): [SimEvent, HostClock] {
  const e = fleet.events[index] as SimEvent;
  return [e, fleet.clocks[e.host] as HostClock];
}

/** An ExportTraceServiceRequest in OTLP/JSON: spans grouped by host, as each host's exporter sends them. */
export function otlpTraces(fleet: SimulatedFleet, spans: readonly number[]): Record<string, unknown> {
  const byHost = new Map<number, Record<string, unknown>[]>();
  for (const index of spans) {
    const [e, clock] = simAndClock(fleet, index);
    const { startNs, endNs } = spanUnixNanos(e, clock);
    const span = {
      traceId: e.traceId,
      spanId: e.spanId,
      ...(e.parentSpanId !== null ? { parentSpanId: e.parentSpanId } : {}),
      name: e.text,
      kind: OTLP_SPAN_KIND[e.spanKind ?? 'internal'],
      startTimeUnixNano: startNs.toString(),
      endTimeUnixNano: endNs.toString(),
      ...(e.hlc !== null ? { attributes: [{ key: 'hlc', value: { stringValue: e.hlc } }] } : {}),
    };
    const list = byHost.get(e.host);
    if (list) list.push(span);
    else byHost.set(e.host, [span]);
  }
  return {
    resourceSpans: [...byHost].map(([host, hostSpans]) => {
      const clock = fleet.clocks[host] as HostClock;
      const service = (FLEET_TOPOLOGY[fleet.hostServices[host] as number] as { name: string }).name;
      return {
        resource: {
          attributes: [
            { key: 'host.name', value: { stringValue: clock.host } },
            { key: 'service.name', value: { stringValue: service } },
          ],
        },
        scopeSpans: [{ scope: { name: 'tributary-simulator' }, spans: hostSpans }],
      };
    }),
  };
}
