import type { ComponentCounters } from '../../core/counters.ts';
import type { TributaryEvent } from '../../core/event.ts';
import { withDeadline, type Component } from '../../core/lifecycle.ts';
import { resolveOrderingConfig, validateOrderingConfig, type OrderingConfigOverrides } from './config.ts';
import { HostOffsets, type HostOffsetView } from './host-offsets.ts';
import {
  compareReleased,
  nsToMs,
  OrderingBuffer,
  type BufferCounters,
  type ReleasedPoint,
} from './ordering-buffer.ts';
import { formatOrderKey } from './order-key.ts';
import { toOrderRecord } from './order-record.ts';
import { SharedExchange } from './shared-exchange.ts';
import type { OrderingSharedState } from './shared-state.ts';
import { Watermarks, type StreamView } from './watermarks.ts';

/** Where an event sits in the causal order (the store's `EventOrdering`, same shape). */
export interface KeyedOrdering {
  key: string;
  offsetMs: number | null;
  errorMs: number | null;
  late: boolean;
  forced: boolean;
  final: boolean;
}

export interface KeyAssignment extends KeyedOrdering {
  id: string;
}

/** Where final keys go: the event store (`OrderKeyStore.setOrderKeys`). Resolves when durable. */
export interface OrderKeySink {
  setOrderKeys(assignments: readonly KeyAssignment[]): Promise<unknown>;
}

export interface OrderingStageOptions extends OrderingConfigOverrides {
  /** Processing-time clock, epoch ms (a fake one in tests and the bench). */
  now?: () => number;
  counters?: ComponentCounters;
  /** Sees every released point, span ends included (tests, the bench, debugging). */
  onRelease?: (points: readonly ReleasedPoint[]) => void;
  /** Told about failures that are counted and survived (a failed key write, a shared-state error). */
  onError?: (error: unknown, what: string) => void;
}

export interface OrderingStats extends BufferCounters {
  received: number;
  unorderable: number;
  unreleased: number;
  bufferedBytes: number;
  peakBufferedBytes: number;
  streams: number;
  released: number;
}

/**
 * The ordering stage (issue 5), placed after the store: events are stored at once with a provisional
 * ordering (`provisional`), then `offer`ed here; their final keys go to the sink when released.
 */
export interface OrderingStage extends Component {
  /** Provisional orderings of log and span events (offset-corrected time), to store with them. */
  provisional(events: readonly TributaryEvent[]): Map<string, KeyedOrdering>;
  /** Takes stored events in; other kinds than log and span are ignored. Never throws on bad input. */
  offer(events: readonly TributaryEvent[]): void;
  /** Releases what can be released now and sends it on (the timer does this every `tickMs`). */
  tick(): void;
  /** Resolves when every key released so far has been handed to the sink and it answered. */
  idle(): Promise<void>;
  offsets(): HostOffsetView[];
  /** Every stream's watermark, lateness and state: why the stage holds what it holds. */
  streams(): StreamView[];
  stats(): OrderingStats;
}

/**
 * Builds the stage. `shared` is null in a single process; with several replicas it carries the span keys
 * and clock samples that cross partitions (see OrderingSharedState).
 */
export function createOrderingStage(
  options: OrderingStageOptions,
  shared: OrderingSharedState | null,
  sink: OrderKeySink,
): OrderingStage {
  const config = resolveOrderingConfig(options);
  const problems = validateOrderingConfig(config);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const now = options.now ?? Date.now;
  const report = options.onError ?? (() => {});
  const offsets = new HostOffsets(config.offsets);
  const watermarks = new Watermarks(config.watermark);
  const exchange = shared ? new SharedExchange(shared, config.shared, report) : null;
  const buffer = new OrderingBuffer(
    config.buffer,
    offsets,
    watermarks,
    // Clock samples go to other replicas; alone (archive), there are none to trade with.
    exchange && config.shared.mode === 'replicas' ? (s) => exchange.outgoing(s) : undefined,
    config.watermark.idleMaxMs,
    exchange === null ? 'none' : config.shared.mode,
  );
  let received = 0;
  let unorderable = 0;
  let released = 0;
  let peakBufferedBytes = 0;
  let writes: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let stopping: Promise<void> | null = null;

  const send = (points: ReleasedPoint[]): void => {
    if (points.length === 0) return;
    released += points.length;
    options.onRelease?.(points);
    // Released in the total order: key (its text sorts the same), then emitter, sequence, id.
    const rows = points
      .filter((p) => p.role !== 'end')
      .map((p) => ({ point: p, assignment: toAssignment(p) }));
    if (rows.length === 0) return;
    rows.sort((a, b) =>
      a.assignment.key < b.assignment.key
        ? -1
        : a.assignment.key > b.assignment.key
          ? 1
          : compareReleased(a.point, b.point),
    );
    const assignments = rows.map((row) => row.assignment);
    writes = writes.then(async () => {
      try {
        await sink.setOrderKeys(assignments);
        options.counters?.sent(assignments.length);
      } catch (error) {
        // The rows keep their provisional keys: degraded order, no lost event.
        options.counters?.error();
        report(error, 'writing order keys');
      }
    });
  };

  const tick = (): void => {
    const t = now();
    offsets.refresh(t);
    exchange?.beforeTick(buffer, offsets, t);
    buffer.process(t);
    peakBufferedBytes = Math.max(peakBufferedBytes, buffer.bufferedBytes);
    send(buffer.takeReleased());
    exchange?.afterTick(buffer);
  };

  const stage: OrderingStage = {
    name: 'order-logs',
    async start() {
      if (stopped || timer) return;
      timer = setInterval(tick, config.tickMs);
      timer.unref();
    },
    /** Stops intake, releases everything still buffered (flagged as forced where it gave up), writes it. */
    shutdown(deadline) {
      stopping ??= (async () => {
        stopped = true;
        if (timer) clearInterval(timer);
        timer = null;
        offsets.refresh(now(), true);
        buffer.process(now(), true);
        send(buffer.takeReleased());
        if (config.shared.mode === 'archive') buffer.forgetAll();
        exchange?.afterTick(buffer);
        await withDeadline(
          Promise.all([writes, exchange?.idle() ?? Promise.resolve()]),
          deadline,
          'order-logs shutdown',
        );
      })();
      return stopping;
    },
    provisional(events) {
      const out = new Map<string, KeyedOrdering>();
      for (const event of events) {
        const record = toOrderRecord(event);
        if (record === null || typeof record === 'string') continue;
        const offset =
          record.host === null || record.hlc ? null : offsets.offsetAt(record.host, nsToMs(record.startNs));
        const corrected = { l: record.startNs - BigInt(Math.round((offset?.offsetMs ?? 0) * 1e6)), c: 0 };
        out.set(record.id, {
          key: formatOrderKey(record.hlc ?? corrected),
          offsetMs: offset?.offsetMs ?? null,
          errorMs: offset?.errorMs ?? null,
          late: false,
          forced: false,
          final: false,
        });
      }
      return out;
    },
    offer(events) {
      if (stopped) return;
      const t = now();
      options.counters?.received(events.length);
      for (const event of events) {
        const record = toOrderRecord(event);
        if (record === null) continue;
        received += 1;
        if (typeof record === 'string') {
          unorderable += 1;
          options.counters?.rejected(record);
          continue;
        }
        buffer.add(record, t);
      }
    },
    tick,
    async idle() {
      let seen: Promise<void> | null = null;
      while (seen !== writes) {
        seen = writes;
        await seen;
      }
      await (exchange?.idle() ?? Promise.resolve());
    },
    offsets: () => offsets.view(),
    streams: () => watermarks.view(now()),
    stats: () => ({
      ...buffer.counters,
      received,
      unorderable,
      unreleased: buffer.unreleased,
      bufferedBytes: buffer.bufferedBytes,
      peakBufferedBytes,
      streams: watermarks.size,
      released,
    }),
  };
  return stage;
}

function toAssignment(p: ReleasedPoint): KeyAssignment {
  return {
    id: p.record.id,
    key: formatOrderKey(p.key),
    offsetMs: p.offset?.offsetMs ?? null,
    errorMs: p.offset?.errorMs ?? null,
    late: p.late,
    forced: p.forced,
    final: true,
  };
}
