import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { TributaryConfig } from '../config/schema.ts';
import type { PipelineMetrics } from '../core/counters.ts';
import type { Component } from '../core/lifecycle.ts';
import { replicaIdOf } from '../alerting/config.ts';
import { createOrderingStage, type OrderingStage } from '../stages/order-logs/ordering-stage.ts';
import type { OrderingSharedState } from '../stages/order-logs/shared-state.ts';
import type { OrderKeyStore } from '../store/event-store.ts';
import type { SqliteDatabase } from '../store/sqlite/open-database.ts';
import { SqliteOrderingState } from '../stages/order-logs/sqlite-shared-state.ts';

export interface OrderingBackend {
  /** Null when `ordering.enabled` is false: events keep their provisional (own-time) keys. */
  stage: OrderingStage | null;
  /** The stage, then what it shares through (stopped in this order, after the queue has drained). */
  components: Component[];
}

/**
 * The ordering stage after the store (src/stages/order-logs/README.md). With Redis configured, replicas
 * share span keys and clock samples through it so keys agree across partitions (`replicas` mode). Alone,
 * the keys of spans the stage forgets are archived in the service's SQLite database (`archive` mode), so
 * a line re-sent minutes late still lands inside its span.
 */
export async function buildOrdering(
  config: TributaryConfig,
  deps: {
    store: OrderKeyStore;
    db: SqliteDatabase;
    metrics: PipelineMetrics;
    registry: Registry;
    logger: Logger;
  },
): Promise<OrderingBackend> {
  if (!config.ordering.enabled) return { stage: null, components: [] };
  const log = deps.logger.child({ component: 'order-logs' });
  const replica = replicaIdOf(config.alerting);
  const shared = config.state.redisUrl
    ? await sharedState(config, replica, log)
    : { state: new SqliteOrderingState(deps.db, { spanTtlMs: config.ordering.sharedTtl }), component: null };
  // Failures here are survived (keys stay provisional, or ordering falls back to local knowledge); one
  // line per kind of failure per minute is enough to see them without flooding the log.
  const lastWarned = new Map<string, number>();
  const stage = createOrderingStage(
    {
      counters: deps.metrics.forComponent('order-logs'),
      buffer: {
        maxWaitMs: config.ordering.maxWait,
        maxHoldMs: config.ordering.maxHold,
        maxBufferBytes: config.ordering.maxBuffer,
      },
      shared: { replica, mode: config.state.redisUrl ? 'replicas' : 'archive' },
      onError: (err, what) => {
        const now = Date.now();
        if (now - (lastWarned.get(what) ?? 0) < 60_000) return;
        lastWarned.set(what, now);
        log.warn({ err, what }, 'ordering degraded: keys stay provisional or local until this clears');
      },
    },
    shared.state,
    deps.store,
  );
  new Gauge({
    name: 'tributary_ordering_buffer_bytes',
    help: 'Bytes held by the causal-ordering buffer (events waiting for their final order key).',
    registers: [deps.registry],
    collect() {
      this.set(stage.stats().bufferedBytes);
    },
  });
  new Gauge({
    name: 'tributary_ordering_unreleased',
    help: 'Points (log lines, span starts and span ends) held by the ordering buffer, not yet released.',
    registers: [deps.registry],
    collect() {
      this.set(stage.stats().unreleased);
    },
  });
  return { stage, components: shared.component ? [stage, shared.component] : [stage] };
}

/** Redis-backed span keys and clock samples (src/stages/order-logs/redis-shared-state.ts). */
async function sharedState(
  config: TributaryConfig,
  replica: string,
  log: Logger,
): Promise<{ state: OrderingSharedState; component: Component }> {
  // Loaded only in distributed mode, like the other Redis clients.
  const { createRedisOrderingState } = await import('../stages/order-logs/redis-shared-state.ts');
  const state = createRedisOrderingState({
    url: config.state.redisUrl as string,
    replica,
    spanTtlMs: config.ordering.sharedTtl,
    onMalformed: (what, detail) =>
      log.warn({ what, detail }, 'ordering: skipped malformed shared data in Redis'),
  });
  return { state, component: state };
}
