import type { CheckEvent, TributaryEvent } from '../../core/event.ts';
import { checkStateKey, type CheckState, type CheckStateStore } from './check-state-store.ts';
import { INITIAL_STATE, nextState } from './state-type-rules.ts';

export interface TrackedCheck {
  /** The event with `stateType`, `attempt` and `maxAttempts` filled in (a copy; the input is not changed). */
  event: CheckEvent;
  /** True when the check's hard state changed with this result: what notification rules act on. */
  hardStateChange: boolean;
}

/** Adds Nagios state types to check events. One method, so the pipeline can hold any implementation. */
export interface CheckStateTracker {
  observe(event: CheckEvent): Promise<TrackedCheck>;
}

/**
 * A batch through the tracker, in order: check results get their state type, other events pass as they
 * are. What every Nagios input (HTTP, the perfdata tail, the Kafka topic) does before handing a batch on.
 */
export async function trackChecks(
  tracker: CheckStateTracker,
  events: readonly TributaryEvent[],
): Promise<TributaryEvent[]> {
  const out: TributaryEvent[] = [];
  for (const event of events) out.push(event.kind === 'check' ? (await tracker.observe(event)).event : event);
  return out;
}

export interface StateTrackerOptions {
  /** max_check_attempts of a check; used when the event does not carry one. */
  maxCheckAttempts: (checkHost: string, checkService: string | null) => number;
  /** Nagios' passive_host_checks_are_soft (default false: passive host results are HARD at once). */
  passiveHostChecksAreSoft?: boolean;
}

/**
 * Tracks SOFT/HARD state per host and service in a `CheckStateStore`.
 * - Results whose state is unknown (`attributes.stateKnown === false`) pass through untouched.
 * - Results that already carry a state type (perfdata lines from Nagios itself) are taken as Nagios decided
 *   them; only the hard state change is derived.
 * - A redelivered event (same id as the last applied one) gets the same answer again and changes nothing;
 *   a result older than the last applied one is not applied (`attributes.stale = true`).
 * Results for one key are applied one at a time in this process; across replicas the input must be
 * partitioned by host (a Kafka key), which keeps a check's results in order on one consumer.
 */
export function createStateTracker(store: CheckStateStore, options: StateTrackerOptions): CheckStateTracker {
  const queues = new Map<string, Promise<unknown>>();

  async function apply(event: CheckEvent, key: string): Promise<TrackedCheck> {
    const prev = await store.get(key);
    if (prev && prev.lastEventId === event.id) {
      const { hardStateChange, ...fields } = prev.lastOutcome;
      return { event: { ...event, ...fields }, hardStateChange };
    }
    if (prev && event.time < prev.lastCheckTime) {
      return {
        event: { ...event, attributes: { ...event.attributes, stale: true } },
        hardStateChange: false,
      };
    }
    const isHost = event.checkService === null;
    const maxAttempts = event.maxAttempts ?? options.maxCheckAttempts(event.checkHost, event.checkService);
    const before = prev ?? INITIAL_STATE;
    let outcome;
    if (event.stateType !== null) {
      // Nagios already decided; keep its answer and derive only whether the hard state moved.
      const hard = event.stateType === 'HARD';
      outcome = {
        stateType: event.stateType,
        attempt: event.attempt ?? (hard ? maxAttempts : 1),
        hardStateChange: hard && event.status !== before.lastHardStatus,
        next: {
          status: event.status,
          stateType: event.status === 0 ? ('HARD' as const) : event.stateType,
          attempt: event.status === 0 ? 1 : (event.attempt ?? 1),
          lastHardStatus: hard || event.status === 0 ? event.status : before.lastHardStatus,
          hostProblemAtLastCheck: false,
        },
      };
    } else {
      const host = isHost ? undefined : await store.get(checkStateKey(event.checkHost, null));
      outcome = nextState(before, {
        status: event.status,
        isHost,
        passive: event.attributes.checkType === 'passive',
        maxAttempts,
        hostUp: host === undefined || host.status === 0,
        passiveHostChecksAreSoft: options.passiveHostChecksAreSoft ?? false,
      });
    }
    const lastOutcome = {
      stateType: outcome.stateType,
      attempt: outcome.attempt,
      maxAttempts,
      hardStateChange: outcome.hardStateChange,
    };
    const remembered: CheckState = {
      ...outcome.next,
      lastCheckTime: event.time,
      lastEventId: event.id,
      lastOutcome,
    };
    await store.set(key, remembered);
    const { hardStateChange, ...fields } = lastOutcome;
    return { event: { ...event, ...fields }, hardStateChange };
  }

  return {
    observe(event) {
      if (event.attributes.stateKnown === false) return Promise.resolve({ event, hardStateChange: false });
      const key = checkStateKey(event.checkHost, event.checkService);
      const previous = queues.get(key) ?? Promise.resolve();
      const run = previous.then(
        () => apply(event, key),
        () => apply(event, key),
      );
      queues.set(key, run);
      // Forget the queue once idle so the map does not grow with every key ever seen.
      void run.then(
        () => queues.get(key) === run && queues.delete(key),
        () => queues.get(key) === run && queues.delete(key),
      );
      return run;
    },
  };
}
