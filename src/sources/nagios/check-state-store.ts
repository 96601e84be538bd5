import type { CheckStatus } from '../../core/event.ts';

/** What the state tracker remembers about one host or service between results (Nagios' own fields). */
export interface CheckState {
  status: CheckStatus;
  stateType: 'SOFT' | 'HARD';
  attempt: number;
  lastHardStatus: CheckStatus;
  /** A service problem seen while its host was not UP (Nagios host_problem_at_last_check). */
  hostProblemAtLastCheck: boolean;
  /** Normalized instant of the last applied result; older results are not applied. */
  lastCheckTime: string;
  /** Id of the last applied event, so a redelivered event is recognised and not counted twice. */
  lastEventId: string;
  /** What the last applied event was told, repeated verbatim when that event is delivered again. */
  lastOutcome: { stateType: 'SOFT' | 'HARD'; attempt: number; maxAttempts: number; hardStateChange: boolean };
}

/**
 * Where check state lives: memory in the embedded deployment, Redis or SQLite when several replicas share it.
 * Contract: `get` returns what the last `set` for that key stored, or undefined; values are copied, never
 * shared with the caller. Keys are opaque strings made by `checkStateKey`.
 */
export interface CheckStateStore {
  get(key: string): Promise<CheckState | undefined>;
  set(key: string, state: CheckState): Promise<void>;
}

/** Host checks and service checks never collide: a service key always has the separator. */
export function checkStateKey(checkHost: string, checkService: string | null): string {
  return checkService === null ? `host\u001f${checkHost}` : `service\u001f${checkHost}\u001f${checkService}`;
}

export class InMemoryCheckStateStore implements CheckStateStore {
  readonly #states = new Map<string, CheckState>();

  get(key: string): Promise<CheckState | undefined> {
    const state = this.#states.get(key);
    return Promise.resolve(state === undefined ? undefined : structuredClone(state));
  }

  set(key: string, state: CheckState): Promise<void> {
    this.#states.set(key, structuredClone(state));
    return Promise.resolve();
  }
}
