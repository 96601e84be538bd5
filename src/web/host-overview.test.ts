import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckEvent, CheckStatus } from '../core/event.ts';
import { hostOverview, stateChanges } from './host-overview.ts';

let n = 0;
function check(host: string, service: string | null, status: CheckStatus, second: number): CheckEvent {
  n += 1;
  return {
    id: `c${n}`,
    kind: 'check',
    source: 'nagios',
    service: host,
    host,
    container: null,
    time: `2026-11-24T10:00:${String(second).padStart(2, '0')}.000000000Z`,
    timestamp: null,
    sourceKey: null,
    sequence: null,
    trace: null,
    message: `${service ?? 'host'} ${status}`,
    attributes: {},
    checkHost: host,
    checkService: service,
    status,
    stateType: 'HARD',
    attempt: 1,
    maxAttempts: 3,
    output: `${service ?? 'host'} is ${status}`,
    longOutput: '',
    perfdata: [],
  };
}

describe('Nagios-style host overview', () => {
  const checks = [
    check('db-1', 'MySQL', 0, 1),
    check('db-1', 'MySQL', 2, 5),
    check('db-1', null, 1, 6),
    check('web-1', null, 0, 2),
    check('web-1', 'HTTP', 0, 3),
    check('web-1', 'Disk', 1, 4),
    check('web-1', 'Load', 3, 4),
  ];

  it('takes the latest state per check, counts OK and WARNING services as available, worst host first', () => {
    const rows = hostOverview([...checks].reverse(), ['web-1', 'cache-1']);
    assert.deepEqual(
      rows.map((r) => [r.host, r.state, r.available, r.services.length]),
      [
        ['db-1', 'DOWN', 0, 1],
        ['web-1', 'UP', 2, 3],
        ['cache-1', 'PENDING', 0, 0],
      ],
    );
    assert.equal(rows[0]?.services[0]?.state, 'CRITICAL');
    assert.equal(rows[0]?.output, 'host is 1');
  });

  it('lists state changes newest first, not repeated results', () => {
    const changes = stateChanges([...checks, check('web-1', 'HTTP', 0, 9)], 10);
    assert.equal(changes.length, 7, 'the repeated HTTP OK is no change');
    assert.deepEqual(changes[0], {
      time: '2026-11-24T10:00:06.000000000Z',
      host: 'db-1',
      service: null,
      state: 'DOWN',
      stateType: 'HARD',
      output: 'host is 1',
    });
    assert.equal(stateChanges(checks, 2).length, 2);
  });
});
