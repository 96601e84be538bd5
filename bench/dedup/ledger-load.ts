import {
  needsUpdate,
  NotificationLedger,
  type GroupState,
} from '../../src/stages/reduce-noise/notification-ledger.ts';
import type { StateStore } from '../../src/state/state-store.ts';

export interface LedgerLoadResult {
  /** Alerts each replica handled (every replica sees every alert, as behind a Kafka fan-out). */
  alerts: number;
  seconds: number;
  /** Alerts whose notification this replica set decided to send: must equal `alerts`. */
  decided: number;
  /** Alerts decided (sent) more than once across the replicas: must be 0. */
  duplicates: number;
  /** State store operations issued (all replicas). */
  operations: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * `primitives`: per alert and replica, `claim` the alert's key and, if held, `recordOnce` the decision
 * (the two Lua scripts at the core of the ledger). `ledger`: the whole path of one notification through
 * the NotificationLedger, as the dedup and send stages run it: read the group's entry, claim (done check +
 * lease), check and record the delivery to one integration, complete (done record + entry update).
 */
export type LedgerPath = 'primitives' | 'ledger';

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
  path?: LedgerPath;
}

/**
 * Drives the ledger's hot path with `concurrency` alerts in flight per replica. Exactly one replica must
 * decide each alert; latency is measured per alert.
 */
export async function runLedgerLoad(options: LedgerLoadOptions): Promise<LedgerLoadResult> {
  const path = options.path ?? 'primitives';
  const latencies: number[] = [];
  const sends = new Uint8Array(options.alerts);
  let operations = 0;
  const started = performance.now();
  const deadline = started + options.maxMs;

  const primitives = async (store: StateStore, owner: string, i: number): Promise<boolean> => {
    const fingerprint = `${options.runId}:alert-${i}`;
    operations += 1;
    const lease = await store.claim(`ledger:claim:${fingerprint}`, owner, 60_000);
    if (!lease.claimed) return false;
    const decision = JSON.stringify({ receiver: 'pagerduty', by: owner, at: Date.now() });
    operations += 1;
    return store.recordOnce(`ledger:sent:${fingerprint}`, decision, 3_600_000);
  };

  const ledgers = new Map(
    options.replicas.map(({ name, store }) => [
      name,
      new NotificationLedger(store, { owner: name, leaseMs: 120_000, retentionMs: 3_600_000 }),
    ]),
  );
  const throughLedger = async (owner: string, i: number): Promise<boolean> => {
    const ledger = ledgers.get(owner) as NotificationLedger;
    const group = `{}:{run="${options.runId}",alert="${i}"}`;
    const state: GroupState = { firing: [`fp-${i}`], resolved: [], flapping: [] };
    operations += 1;
    const { raw, entry } = await ledger.entry('pagerduty', group);
    if (!needsUpdate(entry, state, true, 3_600_000, Date.now())) return false;
    operations += 2;
    const claim = await ledger.claim('pagerduty', group, entry, state);
    if (claim.kind !== 'claimed') return false;
    operations += 4;
    if (!(await ledger.delivered(claim.id, 'pagerduty[0]')))
      await ledger.markDelivered(claim.id, 'pagerduty[0]', Date.now());
    await ledger.complete('pagerduty', group, raw, claim.id, claim.seq, state, Date.now());
    return true;
  };

  let handled = 0;
  await Promise.all(
    options.replicas.map(async ({ name, store }) => {
      let next = 0;
      let done = 0;
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (next < options.alerts && performance.now() < deadline) {
            const i = next++;
            const t0 = performance.now();
            const sent = path === 'ledger' ? await throughLedger(name, i) : await primitives(store, name, i);
            if (sent) sends[i] = (sends[i] ?? 0) + 1;
            latencies.push(performance.now() - t0);
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
  let decided = 0;
  let duplicates = 0;
  for (let i = 0; i < handled; i++) {
    if ((sends[i] ?? 0) >= 1) decided += 1;
    if ((sends[i] ?? 0) > 1) duplicates += 1;
  }
  return { alerts: handled, seconds, decided, duplicates, operations, p50Ms: at(0.5), p99Ms: at(0.99) };
}
