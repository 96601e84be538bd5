import type { CheckStatus } from '../../core/event.ts';
import type { CheckState } from './check-state-store.ts';

/**
 * Nagios' SOFT/HARD state logic as a pure function, following base/checks.c
 * (handle_async_service_check_result) and the "State Types" documentation:
 * - a non-OK result after OK starts SOFT at attempt 1; each further non-OK result while SOFT counts an
 *   attempt; reaching max_check_attempts makes the state HARD (a HARD state change when it differs from the
 *   last hard state); a HARD problem changing to another problem is a HARD state change at once;
 * - OK after a HARD problem is a HARD recovery; OK after a SOFT problem is a SOFT recovery; after any OK the
 *   check is HARD OK at attempt 1;
 * - a service problem while its host is not UP is HARD at once (no retries), and the recovery that follows
 *   is HARD;
 * - passive host results are HARD at once unless passive_host_checks_are_soft.
 */
export interface StateInput {
  status: CheckStatus;
  isHost: boolean;
  passive: boolean;
  maxAttempts: number;
  /** For services: whether the host is UP as far as we know (unknown counts as UP, as in Nagios). */
  hostUp: boolean;
  passiveHostChecksAreSoft: boolean;
}

export interface StateOutcome {
  /** State type and attempt as Nagios reports them for this result ($SERVICESTATETYPE$, $SERVICEATTEMPT$). */
  stateType: 'SOFT' | 'HARD';
  attempt: number;
  hardStateChange: boolean;
  /** Tracking fields after the result (time and event id are the caller's). */
  next: Pick<CheckState, 'status' | 'stateType' | 'attempt' | 'lastHardStatus' | 'hostProblemAtLastCheck'>;
}

/** Nagios' initial state for an object never checked before: HARD OK (UP) at attempt 1. */
export const INITIAL_STATE: StateOutcome['next'] = {
  status: 0,
  stateType: 'HARD',
  attempt: 1,
  lastHardStatus: 0,
  hostProblemAtLastCheck: false,
};

export function nextState(prev: StateOutcome['next'], input: StateInput): StateOutcome {
  const s = input.status;
  const max = Math.max(1, input.maxAttempts);
  if (input.isHost && input.passive && !input.passiveHostChecksAreSoft) {
    const next = {
      status: s,
      stateType: 'HARD' as const,
      attempt: 1,
      lastHardStatus: s,
      hostProblemAtLastCheck: false,
    };
    return { stateType: 'HARD', attempt: 1, hardStateChange: s !== prev.lastHardStatus, next };
  }

  let attempt = prev.attempt;
  if (prev.stateType === 'SOFT' && attempt < max) attempt += 1;
  const stateChange = s !== prev.status;
  let hard = (prev.hostProblemAtLastCheck && s === 0) || (attempt >= max && s !== prev.lastHardStatus);

  if (s === 0) {
    const stateType = hard || !stateChange ? 'HARD' : 'SOFT';
    return { stateType, attempt, hardStateChange: hard, next: INITIAL_STATE };
  }

  const hostUp = input.isHost || input.hostUp;
  let stateType = prev.stateType;
  let lastHardStatus = prev.lastHardStatus;
  let hostProblemAtLastCheck = prev.hostProblemAtLastCheck;
  if (!hostUp) {
    if (prev.lastHardStatus !== s) hard = true;
    if (hard) {
      stateType = 'HARD';
      lastHardStatus = s;
    }
    hostProblemAtLastCheck = true;
  } else if (prev.hostProblemAtLastCheck) {
    // The host recovered: give the service its retries again rather than a hard problem on the next failure.
    hostProblemAtLastCheck = false;
    if (prev.stateType === 'SOFT') attempt = 1;
  }
  if (attempt < max) {
    if (hostUp) stateType = 'SOFT';
  } else {
    stateType = 'HARD';
    lastHardStatus = s;
  }
  return {
    stateType,
    attempt,
    hardStateChange: hard,
    next: { status: s, stateType, attempt, lastHardStatus, hostProblemAtLastCheck },
  };
}
