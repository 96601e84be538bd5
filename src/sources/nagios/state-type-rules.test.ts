import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckStatus } from '../../core/event.ts';
import { INITIAL_STATE, nextState, type StateInput, type StateOutcome } from './state-type-rules.ts';

const OK = 0;
const WARNING = 1;
const CRITICAL = 2;
const UNKNOWN = 3;

function run(statuses: CheckStatus[], input: Partial<StateInput> = {}): [string, number, boolean][] {
  let state: StateOutcome['next'] = INITIAL_STATE;
  return statuses.map((status) => {
    const outcome = nextState(state, {
      status,
      isHost: false,
      passive: false,
      maxAttempts: 3,
      hostUp: true,
      passiveHostChecksAreSoft: false,
      ...input,
    });
    state = outcome.next;
    return [outcome.stateType, outcome.attempt, outcome.hardStateChange];
  });
}

describe('nextState', () => {
  it('reproduces the example of the Nagios "State Types" documentation (max_check_attempts 3)', () => {
    // Times 1..10 of html/docs/statetypes.html. State types and hard changes are the table's. The attempt
    // is what Nagios core reports ($SERVICEATTEMPT$, "3/3" in its UI): it stays at max while HARD, where the
    // table's "Check #" column restarts at 1.
    assert.deepEqual(run([CRITICAL, WARNING, CRITICAL, WARNING, WARNING, OK, OK, UNKNOWN, OK, OK]), [
      ['SOFT', 1, false], // 1 first detection of a non-OK state
      ['SOFT', 2, false], // 2 still non-OK
      ['HARD', 3, true], // 3 max check attempts reached: problem notification
      ['HARD', 3, true], // 4 HARD CRITICAL -> HARD WARNING: notification
      ['HARD', 3, false], // 5 stable hard problem
      ['HARD', 3, true], // 6 hard recovery: recovery notification
      ['HARD', 1, false], // 7 still OK
      ['SOFT', 1, false], // 8 soft non-OK
      ['SOFT', 2, false], // 9 soft recovery: no notification
      ['HARD', 1, false], // 10 stable OK
    ]);
  });

  it('goes HARD on the first problem when max_check_attempts is 1', () => {
    assert.deepEqual(run([CRITICAL, CRITICAL, OK], { maxAttempts: 1 }), [
      ['HARD', 1, true],
      ['HARD', 1, false],
      ['HARD', 1, true],
    ]);
  });

  it('makes a service problem HARD at once while its host is down, and its recovery HARD', () => {
    let state: StateOutcome['next'] = INITIAL_STATE;
    const base = { isHost: false, passive: false, maxAttempts: 3, passiveHostChecksAreSoft: false };
    const down = nextState(state, { ...base, status: CRITICAL, hostUp: false });
    assert.deepEqual([down.stateType, down.attempt, down.hardStateChange], ['HARD', 1, true]);
    state = down.next;
    const recovered = nextState(state, { ...base, status: OK, hostUp: true });
    assert.deepEqual([recovered.stateType, recovered.hardStateChange], ['HARD', true]);
  });

  it('retries a service after its host recovers without a second hard change', () => {
    let state: StateOutcome['next'] = INITIAL_STATE;
    const base = { isHost: false, passive: false, maxAttempts: 3, passiveHostChecksAreSoft: false };
    state = nextState(state, { ...base, status: WARNING, hostUp: true }).next; // SOFT 1
    const hostDown = nextState(state, { ...base, status: WARNING, hostUp: false }); // HARD via host problem
    assert.deepEqual([hostDown.stateType, hostDown.attempt, hostDown.hardStateChange], ['HARD', 2, true]);
    // checks.c: with the host UP again and attempts left, the service is retried (SOFT) ...
    const retry = nextState(hostDown.next, { ...base, status: WARNING, hostUp: true });
    assert.deepEqual([retry.stateType, retry.attempt, retry.hardStateChange], ['SOFT', 2, false]);
    // ... and back to HARD without a second hard change, since the hard state never left WARNING.
    const hardAgain = nextState(retry.next, { ...base, status: WARNING, hostUp: true });
    assert.deepEqual([hardAgain.stateType, hardAgain.attempt, hardAgain.hardStateChange], ['HARD', 3, false]);
  });

  it('treats passive host results as HARD at once unless passive_host_checks_are_soft', () => {
    assert.deepEqual(run([1, 1, 0, 2], { isHost: true, passive: true }), [
      ['HARD', 1, true],
      ['HARD', 1, false],
      ['HARD', 1, true],
      ['HARD', 1, true],
    ]);
    assert.deepEqual(run([1, 1, 1], { isHost: true, passive: true, passiveHostChecksAreSoft: true }), [
      ['SOFT', 1, false],
      ['SOFT', 2, false],
      ['HARD', 3, true],
    ]);
  });

  it('counts active host results like service results', () => {
    assert.deepEqual(run([1, 1, 1, 0], { isHost: true, hostUp: false }), [
      ['SOFT', 1, false],
      ['SOFT', 2, false],
      ['HARD', 3, true],
      ['HARD', 3, true],
    ]);
  });
});
