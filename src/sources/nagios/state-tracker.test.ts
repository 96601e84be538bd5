import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckEvent, CheckStatus } from '../../core/event.ts';
import { parseExternalCommands } from './parse-passive-lines.ts';
import { parsePerfdataFile } from './parse-perfdata-file.ts';
import { InMemoryCheckStateStore, checkStateKey } from './check-state-store.ts';
import { createStateTracker } from './state-tracker.ts';

const ctx = { receivedAt: '2026-01-02T03:04:05.000000000Z' };

/** A passive service result at `epoch` seconds, through the real parser. */
function serviceResult(epoch: number, status: CheckStatus, service = 'HTTP', host = 'web01'): CheckEvent {
  const [event] = parseExternalCommands(
    `[${epoch}] PROCESS_SERVICE_CHECK_RESULT;${host};${service};${status};out ${epoch}`,
    ctx,
  ).events;
  assert.ok(event);
  return event;
}

function hostResult(epoch: number, status: CheckStatus, host = 'web01'): CheckEvent {
  const [event] = parseExternalCommands(
    `[${epoch}] PROCESS_HOST_CHECK_RESULT;${host};${status};host ${epoch}`,
    ctx,
  ).events;
  assert.ok(event);
  return event;
}

function tracker(store = new InMemoryCheckStateStore(), max = 3) {
  return createStateTracker(store, { maxCheckAttempts: () => max });
}

describe('createStateTracker', () => {
  it('enriches events with state type, attempt and max attempts, and reports hard changes', async () => {
    const t = tracker();
    const out = [];
    for (const [i, status] of ([2, 2, 2, 0] as CheckStatus[]).entries()) {
      const { event, hardStateChange } = await t.observe(serviceResult(1700000000 + i * 60, status));
      out.push([event.stateType, event.attempt, event.maxAttempts, hardStateChange]);
    }
    assert.deepEqual(out, [
      ['SOFT', 1, 3, false],
      ['SOFT', 2, 3, false],
      ['HARD', 3, 3, true],
      ['HARD', 3, 3, true],
    ]);
  });

  it('does not change the event it was given', async () => {
    const input = serviceResult(1700000000, 2);
    const copy = structuredClone(input);
    await tracker().observe(input);
    assert.deepEqual(input, copy);
  });

  it('answers a redelivered event exactly as the first time and counts it once', async () => {
    const store = new InMemoryCheckStateStore();
    const t = tracker(store, 2);
    const first = serviceResult(1700000000, 2);
    await t.observe(first);
    const second = serviceResult(1700000060, 2);
    const once = await t.observe(second);
    const again = await t.observe(second);
    assert.deepEqual(again, once);
    assert.equal(once.hardStateChange, true);
    assert.equal((await store.get(checkStateKey('web01', 'HTTP')))?.attempt, 2);
  });

  it('does not apply a result older than the last one', async () => {
    const t = tracker();
    await t.observe(serviceResult(1700000060, 0));
    const { event, hardStateChange } = await t.observe(serviceResult(1700000000, 2));
    assert.equal(event.attributes.stale, true);
    assert.equal(hardStateChange, false);
    const next = await t.observe(serviceResult(1700000120, 2));
    assert.deepEqual([next.event.stateType, next.event.attempt], ['SOFT', 1]);
  });

  it('makes a service problem HARD at once when its host is known to be down', async () => {
    const t = tracker();
    const host = await t.observe(hostResult(1700000000, 1));
    assert.deepEqual([host.event.stateType, host.hardStateChange], ['HARD', true]);
    const svc = await t.observe(serviceResult(1700000010, 2));
    assert.deepEqual([svc.event.stateType, svc.event.attempt, svc.hardStateChange], ['HARD', 1, true]);
  });

  it('keeps state types Nagios already decided (perfdata lines) and derives the hard change', async () => {
    const t = tracker();
    const lines = [
      'DATATYPE::SERVICEPERFDATA\tTIMET::1700000000\tHOSTNAME::h\tSERVICEDESC::s\tSERVICESTATEID::2\tSERVICESTATETYPE::SOFT\tSERVICEATTEMPT::1\tMAXSERVICEATTEMPTS::5',
      'DATATYPE::SERVICEPERFDATA\tTIMET::1700000060\tHOSTNAME::h\tSERVICEDESC::s\tSERVICESTATEID::2\tSERVICESTATETYPE::HARD\tSERVICEATTEMPT::5\tMAXSERVICEATTEMPTS::5',
      'DATATYPE::SERVICEPERFDATA\tTIMET::1700000120\tHOSTNAME::h\tSERVICEDESC::s\tSERVICESTATEID::2\tSERVICESTATETYPE::HARD\tSERVICEATTEMPT::5\tMAXSERVICEATTEMPTS::5',
      'DATATYPE::SERVICEPERFDATA\tTIMET::1700000180\tHOSTNAME::h\tSERVICEDESC::s\tSERVICESTATEID::0\tSERVICESTATETYPE::HARD\tSERVICEATTEMPT::1\tMAXSERVICEATTEMPTS::5',
    ];
    const out = [];
    for (const event of parsePerfdataFile(lines.join('\n'), ctx).events) {
      const r = await t.observe(event);
      out.push([r.event.stateType, r.event.attempt, r.event.maxAttempts, r.hardStateChange]);
    }
    assert.deepEqual(out, [
      ['SOFT', 1, 5, false],
      ['HARD', 5, 5, true],
      ['HARD', 5, 5, false],
      ['HARD', 1, 5, true],
    ]);
  });

  it('passes events of unknown state through untouched', async () => {
    const [event] = parsePerfdataFile('[SERVICEPERFDATA]\t1700000000\th\ts\t0.1\t0.1\tout\ta=1', ctx).events;
    assert.ok(event);
    const store = new InMemoryCheckStateStore();
    const result = await tracker(store).observe(event);
    assert.deepEqual(result, { event, hardStateChange: false });
    assert.equal(await store.get(checkStateKey('h', 's')), undefined);
  });

  it('applies concurrent results for one check in arrival order', async () => {
    const t = tracker();
    const results = await Promise.all([0, 1, 2].map((i) => t.observe(serviceResult(1700000000 + i, 2))));
    assert.deepEqual(
      results.map((r) => [r.event.stateType, r.event.attempt]),
      [
        ['SOFT', 1],
        ['SOFT', 2],
        ['HARD', 3],
      ],
    );
  });

  it('uses the configured max attempts per check', async () => {
    const t = createStateTracker(new InMemoryCheckStateStore(), {
      maxCheckAttempts: (host, service) => (service === 'Disk' ? 1 : 3),
    });
    const disk = await t.observe(serviceResult(1700000000, 2, 'Disk'));
    const http = await t.observe(serviceResult(1700000000, 2, 'HTTP'));
    assert.deepEqual([disk.event.stateType, http.event.stateType], ['HARD', 'SOFT']);
  });
});
