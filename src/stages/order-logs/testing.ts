import type { LogEvent, SpanEvent } from '../../core/event.ts';
import { instantFromUnixMillis } from '../../core/time.ts';
import type { KeyAssignment, OrderKeySink } from './ordering-stage.ts';

/**
 * Test doubles for the ordering stage (as the Collector ships `consumertest`): a settable clock, a sink
 * that records every key it is given, and builders of the events the parsers produce.
 */
export class FakeClock {
  constructor(public ms = Date.UTC(2026, 10, 24, 10, 0, 0)) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export class RecordingKeySink implements OrderKeySink {
  /** Latest assignment per event id. */
  readonly byId = new Map<string, KeyAssignment>();
  /** Every assignment in the order received. */
  readonly all: KeyAssignment[] = [];
  calls = 0;
  /** Runs before each call; a throw makes the call fail. */
  before: () => Promise<void> = async () => {};

  async setOrderKeys(assignments: readonly KeyAssignment[]): Promise<number> {
    this.calls += 1;
    await this.before();
    for (const a of assignments) {
      this.all.push(a);
      this.byId.set(a.id, a);
    }
    return assignments.length;
  }

  key(id: string): string {
    const a = this.byId.get(id);
    if (!a) throw new Error(`no key for ${id}`);
    return a.key;
  }
}

const BASE = Date.UTC(2026, 10, 24, 10, 0, 0);

export interface TestLogOptions {
  id: string;
  host?: string;
  /** Milliseconds after the base instant (host clock). */
  at: number;
  sourceKey?: string | null;
  sequence?: string | null;
  traceId?: string;
  spanId?: string | null;
  attributes?: Record<string, unknown>;
}

export function testLog(o: TestLogOptions): LogEvent {
  const time = instantFromUnixMillis(BASE + o.at) as string;
  return {
    id: o.id,
    kind: 'log',
    source: 'logstash',
    service: 'svc',
    host: o.host ?? 'host-a',
    container: null,
    time,
    timestamp: new Date(BASE + o.at).toISOString(),
    sourceKey: o.sourceKey === undefined ? `${o.host ?? 'host-a'}:/var/log/app.log` : o.sourceKey,
    sequence: o.sequence ?? null,
    trace: o.traceId ? { traceId: o.traceId, spanId: o.spanId ?? null } : null,
    message: o.id,
    attributes: o.attributes ?? {},
    level: 'info',
  };
}

export interface TestSpanOptions {
  id: string;
  host?: string;
  at: number;
  end: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string | null;
  spanKind?: SpanEvent['spanKind'];
}

export function testSpan(o: TestSpanOptions): SpanEvent {
  return {
    id: o.id,
    kind: 'span',
    source: 'otlp',
    service: 'svc',
    host: o.host ?? 'host-a',
    container: null,
    time: instantFromUnixMillis(BASE + o.at) as string,
    timestamp: String(BigInt(Math.round((BASE + o.at) * 1e6))),
    sourceKey: null,
    sequence: null,
    trace: { traceId: o.traceId, spanId: o.spanId, parentSpanId: o.parentSpanId ?? null },
    message: o.id,
    attributes: {},
    name: o.id,
    spanKind: o.spanKind ?? 'internal',
    endTime: instantFromUnixMillis(BASE + o.end) as string,
    durationMs: o.end - o.at,
    status: 'unset',
  };
}
