import type { StateStore } from '../../src/state/state-store.ts';

export interface LedgerLoadResult {
  /** Alerts each replica handled (every replica sees every alert, as behind a Kafka fan-out). */
  alerts: number;
  seconds: number;
  /** Alerts whose notification this replica set decided to send: must equal `alerts`. */
  decided: number;
  /** Alerts a replica claimed but found already recorded: must be 0. */
  duplicates: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LedgerLoadOptions {
  /** One store per replica; each replica runs the same alert stream. */
  replicas: readonly { name: string; store: StateStore }[];
  alerts: number;
  /** Alerts in flight per replica. */
  concurrency: number;
  /** Stop early after this long (the result counts what finished). */
  maxMs: number;
  /** Namespaces the keys of this run. */
  runId: string;
}

/**
 * The notification ledger's hot path, per alert and replica: `claim` the alert's dedup key (a lease
 * long enough to notify), and if this replica holds it, `recordOnce` the decision. Exactly one replica
 * decides each alert. Latency is measured per alert (claim + recordOnce).
 */
export async function runLedgerLoad(options: LedgerLoadOptions): Promise<LedgerLoadResult> {
  const latencies: number[] = [];
  let decided = 0;
  let duplicates = 0;
  const started = performance.now();
  const deadline = started + options.maxMs;

  const handle = async (store: StateStore, owner: string, i: number): Promise<void> => {
    const t0 = performance.now();
    const fingerprint = `${options.runId}:alert-${i}`;
    const lease = await store.claim(`ledger:claim:${fingerprint}`, owner, 60_000);
    if (lease.claimed) {
      const decision = JSON.stringify({ receiver: 'pagerduty', by: owner, at: Date.now() });
      if (await store.recordOnce(`ledger:sent:${fingerprint}`, decision, 3_600_000)) decided += 1;
      else duplicates += 1;
    }
    latencies.push(performance.now() - t0);
  };

  let handled = 0;
  await Promise.all(
    options.replicas.map(async ({ name, store }) => {
      let next = 0;
      let done = 0;
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (next < options.alerts && performance.now() < deadline) {
            await handle(store, name, next++);
            done += 1;
          }
        }),
      );
      handled = Math.max(handled, done);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { alerts: handled, seconds, decided, duplicates, p50Ms: at(0.5), p99Ms: at(0.99) };
}
