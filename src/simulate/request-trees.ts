import type { SpanEvent } from '../core/event.ts';
import { FLEET_TOPOLOGY } from './fleet-topology.ts';
import { edgeFlags, endPoint, startPoint, type EdgeKind, type SimEvent } from './ground-truth.ts';
import { hex, lognormal, pick } from './random.ts';

/** Timings of the simulated work, ms (log-normal medians and shapes). */
export interface WorkTimings {
  networkMedianMs: number;
  networkSigma: number;
  /** Queueing of async messages before a consumer takes them. */
  queueMedianMs: number;
  queueSigma: number;
  /** A call to an untraced database. */
  databaseMedianMs: number;
}

type Step = { point: number; type: 'start' | 'log' | 'childStart' | 'childEnd' | 'end'; context: boolean };

/**
 * Builds request trees in true time: server and consumer spans with their logs, RPCs and messages, and
 * the true happens-before edges between the instants, each marked visible or not (can it be read from
 * the events?). Program order of log files is added later, once each file's lines are in time order.
 */
export class RequestTrees {
  readonly events: SimEvent[] = [];
  /** Flattened (from, to, flags) triples. */
  readonly edges: number[] = [];

  constructor(
    private readonly random: () => number,
    private readonly hostsOfService: readonly (readonly number[])[],
    private readonly timings: WorkTimings,
    /** Share of logs written without trace context. */
    private readonly noTraceShare: number,
  ) {}

  /** One request entering at the gateway at true time `t`. */
  request(t: number): void {
    const traceId = hex(this.random, 32);
    // Some requests come from an untraced caller that still sent a traceparent: a parent never exported.
    const parent = this.random() < 0.3 ? hex(this.random, 16) : null;
    this.serve(0, pick(this.random, this.hostsOfService[0] as number[]), t, traceId, parent, 'server');
  }

  private add(event: SimEvent): number {
    this.events.push(event);
    return this.events.length - 1;
  }

  private edge(from: number, to: number, kind: EdgeKind, visible: boolean): void {
    const a = this.events[from >> 1] as SimEvent;
    const b = this.events[to >> 1] as SimEvent;
    this.edges.push(from, to, edgeFlags(kind, visible, a.host !== b.host));
  }

  private span(
    host: number,
    service: number,
    t: number,
    traceId: string,
    parentSpanId: string | null,
    spanKind: SpanEvent['spanKind'],
    text: string,
  ): number {
    return this.add({
      kind: 'span',
      host,
      service,
      trueStartMs: t,
      trueEndMs: t,
      traceId,
      spanId: hex(this.random, 16),
      parentSpanId,
      spanKind,
      text,
      level: 'info',
      sequence: 0,
      hlc: null,
    });
  }

  /** A server or consumer span and everything under it; returns the event index of the span. */
  private serve(
    service: number,
    host: number,
    t: number,
    traceId: string,
    parentSpanId: string | null,
    kind: 'server' | 'consumer',
  ): number {
    const r = this.random;
    const node = FLEET_TOPOLOGY[service] as (typeof FLEET_TOPOLOGY)[number];
    const self = this.span(
      host,
      service,
      t,
      traceId,
      parentSpanId,
      kind,
      `${kind === 'server' ? 'GET /' : 'consume '}${node.name}`,
    );
    const spanId = (this.events[self] as SimEvent).spanId as string;
    let previous: Step = { point: startPoint(self), type: 'start', context: true };
    const step = (next: Step): void => {
      // Consecutive log lines are ordered by their file's sequence (added later), not counted twice.
      if (!(previous.type === 'log' && next.type === 'log')) {
        this.edge(previous.point, next.point, 'thread', threadEdgeVisible(previous, next));
      }
      previous = next;
    };
    let now = t + lognormal(r, 0.15, 0.5);
    const log = (text: string, level = 'info'): void => {
      const context = r() >= this.noTraceShare;
      const index = this.add({
        kind: 'log',
        host,
        service,
        trueStartMs: now,
        trueEndMs: now,
        traceId: context ? traceId : null,
        spanId: context ? spanId : null,
        parentSpanId: null,
        spanKind: null,
        text,
        level,
        sequence: 0,
        hlc: null,
      });
      step({ point: startPoint(index), type: 'log', context });
      now += lognormal(r, 0.05, 0.5);
    };
    log(`handling ${kind === 'server' ? 'request' : 'message'}`);
    for (const call of node.calls) {
      if (r() >= call.probability) continue;
      if (r() < 0.6) log(`calling ${call.to}`, 'debug');
      const callee = FLEET_TOPOLOGY.findIndex((s) => s.name === call.to);
      if (call.mode === 'async') {
        const producer = this.span(host, service, now, traceId, spanId, 'producer', `publish ${call.to}`);
        const p = this.events[producer] as SimEvent;
        p.trueEndMs = now + lognormal(r, 0.3, 0.5);
        step({ point: startPoint(producer), type: 'childStart', context: true });
        const queued = now + lognormal(r, this.timings.queueMedianMs, this.timings.queueSigma);
        const consumer = this.serve(
          callee,
          pick(r, this.hostsOfService[callee] as number[]),
          queued,
          traceId,
          p.spanId,
          'consumer',
        );
        this.edge(startPoint(producer), endPoint(producer), 'span', true);
        this.edge(startPoint(producer), startPoint(consumer), 'message', true);
        now = p.trueEndMs;
        step({ point: endPoint(producer), type: 'childEnd', context: true });
        now += lognormal(r, 0.03, 0.7);
      } else {
        const client = this.span(host, service, now, traceId, spanId, 'client', `call ${call.to}`);
        const c = this.events[client] as SimEvent;
        step({ point: startPoint(client), type: 'childStart', context: true });
        if (call.mode === 'sync') {
          const there = now + lognormal(r, this.timings.networkMedianMs, this.timings.networkSigma);
          const server = this.serve(
            callee,
            pick(r, this.hostsOfService[callee] as number[]),
            there,
            traceId,
            c.spanId,
            'server',
          );
          const s = this.events[server] as SimEvent;
          c.trueEndMs = s.trueEndMs + lognormal(r, this.timings.networkMedianMs, this.timings.networkSigma);
          this.edge(startPoint(client), startPoint(server), 'rpc', true);
          this.edge(endPoint(server), endPoint(client), 'rpc', true);
        } else {
          c.trueEndMs = now + lognormal(r, this.timings.databaseMedianMs, 0.7);
        }
        this.edge(startPoint(client), endPoint(client), 'span', true);
        now = c.trueEndMs;
        step({ point: endPoint(client), type: 'childEnd', context: true });
        now += lognormal(r, 0.03, 0.7);
        if (r() < 0.6) log(`${call.to} answered`);
      }
      now += lognormal(r, 0.2, 0.6);
    }
    for (let extra = Math.floor(r() * 3); extra > 0; extra--) log('working', 'debug');
    const failed = r() < 0.02;
    log(failed ? 'request failed: upstream timeout' : 'done', failed ? 'error' : 'info');
    (this.events[self] as SimEvent).trueEndMs = now + 0.05;
    step({ point: endPoint(self), type: 'end', context: true });
    return self;
  }
}

/** Which consecutive instants of one span's work the ordering stage can tell apart by the data. */
function threadEdgeVisible(previous: Step, next: Step): boolean {
  if (previous.type === 'start' && next.type === 'log') return next.context;
  if (previous.type === 'log' && next.type === 'end') return previous.context;
  if (previous.type === 'start' && next.type === 'childStart') return true;
  if (previous.type === 'childEnd' && next.type === 'end') return true;
  if (previous.type === 'start' && next.type === 'end') return true;
  // A log next to a call it made or whose answer it reports: only the clock of their host tells.
  return false;
}
