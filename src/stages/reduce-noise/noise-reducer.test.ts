import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../alerting/clock.ts';
import { harness, resolvedAlert, SIMPLE_CONFIG, testAlert } from './testing.ts';

const MIN = 60_000;

describe('noise reducer: grouping and timers', () => {
  it('waits group_wait, batches the group, then notifies new alerts at group_interval', async () => {
    const clock = new ManualClock();
    const h = harness(clock, SIMPLE_CONFIG);
    await h.reducer.start();
    await h.reducer.receive([testAlert({ alertname: 'Down', host: 'a' }, clock)]);
    await clock.advance(10_000);
    await h.reducer.receive([testAlert({ alertname: 'Down', host: 'b' }, clock)]);
    await clock.advance(19_000);
    assert.equal(h.integration.sent.length, 0, 'nothing before group_wait');
    await clock.advance(1_000);
    assert.equal(h.integration.sent.length, 1);
    assert.equal(h.integration.sent[0]?.alerts.length, 2);
    assert.equal(h.integration.sent[0]?.groupKey, '{}:{alertname="Down"}');
    await h.reducer.receive([testAlert({ alertname: 'Down', host: 'c' }, clock)]);
    await clock.advance(MIN);
    assert.equal(h.integration.sent.length, 1, 'a new alert waits for group_interval');
    await clock.advance(4 * MIN);
    assert.equal(h.integration.sent.length, 2);
    assert.equal(h.integration.sent[1]?.alerts.length, 3);
    await h.reducer.shutdown(Date.now() + 1000);
  });

  it('repeats after repeat_interval and sends resolved once', async () => {
    const clock = new ManualClock();
    const h = harness(clock, SIMPLE_CONFIG);
    await h.reducer.start();
    const a = testAlert({ alertname: 'Down', host: 'a' }, clock);
    await h.reducer.receive([a]);
    await clock.advance(3 * 3_600_000);
    assert.equal(h.integration.sent.length, 1, 'no repeat before 4h');
    await clock.advance(3_600_000 + 5 * MIN);
    assert.equal(h.integration.sent.length, 2, 'repeat after 4h');
    await h.reducer.receive([resolvedAlert(a, clock)]);
    await clock.advance(30 * MIN);
    assert.equal(h.integration.sent.length, 3);
    assert.equal(h.integration.sent[2]?.status, 'resolved');
    assert.equal(h.integration.sent[2]?.alerts[0]?.status, 'resolved');
    await h.reducer.shutdown(Date.now() + 1000);
  });

  it("group_by ['...'] makes one group per alert", async () => {
    const clock = new ManualClock();
    const h = harness(clock, SIMPLE_CONFIG.replace('group_by: [alertname]', "group_by: ['...']"));
    await h.reducer.start();
    await h.reducer.receive([
      testAlert({ alertname: 'Down', host: 'a' }, clock),
      testAlert({ alertname: 'Down', host: 'b' }, clock),
    ]);
    await clock.advance(30_000);
    assert.equal(h.integration.sent.length, 2);
    assert.deepEqual(h.integration.sent.map((n) => n.groupLabels.host).sort(), ['a', 'b']);
    await h.reducer.shutdown(Date.now() + 1000);
  });

  it('sends to every route matched through continue', async () => {
    const clock = new ManualClock();
    const h = harness(
      clock,
      `
global: {resolve_timeout: 1h}
route:
  receiver: default
  group_wait: 0s
  routes:
    - {matchers: ['team="db"'], receiver: db, continue: true}
    - {matchers: ['severity="critical"'], receiver: pager}
receivers: [{name: default}, {name: db}, {name: pager}]
`,
    );
    await h.reducer.start();
    await h.reducer.receive([testAlert({ alertname: 'Slow', team: 'db', severity: 'critical' }, clock)]);
    await clock.advance(1000);
    assert.deepEqual(h.integration.sent.map((n) => n.receiver).sort(), ['db', 'pager']);
    await h.reducer.shutdown(Date.now() + 1000);
  });
});

describe('noise reducer: muting', () => {
  const CONFIG = `
global: {resolve_timeout: 1h}
route: {receiver: team, group_by: ['...'], group_wait: 0s}
receivers: [{name: team}]
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [cluster]
`;

  it('inhibits targets only when the equal labels agree, and records by what', async () => {
    const clock = new ManualClock();
    const h = harness(clock, CONFIG);
    await h.reducer.start();
    await h.reducer.receive([
      testAlert({ alertname: 'ClusterDown', severity: 'critical', cluster: 'eu' }, clock),
      testAlert({ alertname: 'Latency', severity: 'warning', cluster: 'eu' }, clock),
      testAlert({ alertname: 'Latency', severity: 'warning', cluster: 'us' }, clock),
    ]);
    await clock.advance(1000);
    const names = h.integration.sent.map(
      (n) => `${n.alerts[0]?.labels.alertname}/${n.alerts[0]?.labels.cluster}`,
    );
    assert.deepEqual(names.sort(), ['ClusterDown/eu', 'Latency/us']);
    const inhibited = h.decisions.all().filter((d) => d.decision === 'inhibited');
    assert.equal(inhibited.length, 1);
    assert.match(inhibited[0]?.reason ?? '', /inhibited by ClusterDown .*equal \[cluster\]/);
    await h.reducer.shutdown(Date.now() + 1000);
  });

  it('silences with regex and negative matchers, until the silence expires', async () => {
    const clock = new ManualClock();
    const h = harness(clock, CONFIG);
    await h.reducer.start();
    const silence = await h.reducer.silences.upsert({
      matchers: [
        { name: 'alertname', value: 'Disk.*', isRegex: true, isEqual: true },
        { name: 'env', value: 'prod', isRegex: false, isEqual: false },
      ],
      startsAt: new Date(clock.now()).toISOString(),
      endsAt: new Date(clock.now() + 10 * MIN).toISOString(),
      createdBy: 'ops',
      comment: 'maintenance',
    });
    await h.reducer.receive([
      testAlert({ alertname: 'DiskFull', env: 'staging' }, clock),
      testAlert({ alertname: 'DiskFull', env: 'prod' }, clock),
      testAlert({ alertname: 'CpuHigh', env: 'staging' }, clock),
    ]);
    await clock.advance(1000);
    assert.deepEqual(
      h.integration.sent.map((n) => `${n.alerts[0]?.labels.alertname}/${n.alerts[0]?.labels.env}`).sort(),
      ['CpuHigh/staging', 'DiskFull/prod'],
    );
    const silenced = h.decisions.all().filter((d) => d.decision === 'silenced');
    assert.equal(silenced.length, 1);
    assert.equal(silenced[0]?.by, silence.id);
    await clock.advance(10 * MIN);
    assert.equal(h.integration.sent.length, 3, 'notified once the silence ended');
    await h.reducer.shutdown(Date.now() + 1000);
  });

  it('mutes during mute_time_intervals and notifies after', async () => {
    const clock = new ManualClock(Date.parse('2026-01-10T12:00:00Z')); // a Saturday
    const h = harness(
      clock,
      `
global: {resolve_timeout: 3d}
route: {receiver: team, group_wait: 0s, group_interval: 1h, mute_time_intervals: [weekend]}
receivers: [{name: team}]
time_intervals:
  - name: weekend
    time_intervals: [{weekdays: ['saturday', 'sunday']}]
`,
    );
    await h.reducer.start();
    await h.reducer.receive([testAlert({ alertname: 'Backup' }, clock)]);
    await clock.advance(30 * 3_600_000);
    assert.equal(h.integration.sent.length, 0);
    assert.ok(h.decisions.all().some((d) => d.decision === 'muted' && d.reason.includes('weekend')));
    await clock.advance(7 * 3_600_000); // Monday 07:00
    assert.equal(h.integration.sent.length, 1);
    await h.reducer.shutdown(Date.now() + 1000);
  });
});

describe('noise reducer: bad input', () => {
  it('takes huge label sets and odd times without crashing', async () => {
    const clock = new ManualClock();
    const h = harness(clock, SIMPLE_CONFIG);
    await h.reducer.start();
    const huge = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`l${i}`, 'v'.repeat(200)]));
    await h.reducer.receive([
      testAlert({ alertname: 'Huge', ...huge }, clock),
      testAlert({ alertname: 'Backwards', host: 'x' }, clock, {
        startsAt: clock.now(),
        endsAt: clock.now() - 60_000,
      }),
      testAlert({ alertname: 'Future', host: 'y' }, clock, { startsAt: clock.now() + 3_600_000 }),
    ]);
    await clock.advance(60_000);
    assert.ok(h.integration.sent.some((n) => n.alerts[0]?.labels.alertname === 'Huge'));
    await h.reducer.shutdown(Date.now() + 1000);
  });

  it('refuses silences that cannot be valid, with the reason', async () => {
    const clock = new ManualClock();
    const h = harness(clock, SIMPLE_CONFIG);
    const base = {
      startsAt: new Date(clock.now()).toISOString(),
      endsAt: new Date(clock.now() + 60_000).toISOString(),
      createdBy: 'x',
      comment: 'y',
    };
    await assert.rejects(
      h.reducer.silences.upsert({
        ...base,
        matchers: [{ name: 'a', value: '(?=x)', isRegex: true, isEqual: true }],
      }),
      /invalid regex/,
    );
    await assert.rejects(
      h.reducer.silences.upsert({
        ...base,
        matchers: [{ name: 'a', value: 'x', isRegex: false, isEqual: true }],
        endsAt: base.startsAt,
      }),
      /endsAt must be after startsAt/,
    );
    await assert.rejects(
      h.reducer.silences.upsert({
        ...base,
        id: 'unknown',
        matchers: [{ name: 'a', value: 'x', isRegex: false, isEqual: true }],
      }),
      /not found/,
    );
  });
});

describe('noise reducer: group flapping', () => {
  it('a group whose members take turns firing is reported flapping once, not paged at every flush', async () => {
    const clock = new ManualClock();
    const h = harness(
      clock,
      SIMPLE_CONFIG.replace('group_wait: 30s', 'group_wait: 0s').replace(
        'group_interval: 5m',
        'group_interval: 30s',
      ),
      {
        noise: (n) => (n.groupFlap = { low: 5, high: 20, sampleIntervalMs: 60_000 }),
      },
    );
    await h.reducer.start();
    // Different hosts each time: no single alert flaps, the group as a whole does.
    for (let i = 0; i < 12; i++) {
      const a = testAlert({ alertname: 'Timeout', host: `h${i}` }, clock);
      await h.reducer.receive([a]);
      await clock.advance(30_000);
      await h.reducer.receive([resolvedAlert(a, clock)]);
      await clock.advance(30_000);
    }
    const events = h.integration.sent.map((n) => n.event);
    assert.equal(events.filter((e) => e === 'flapping').length, 1, events.join(' '));
    assert.ok(h.integration.sent.length < 12, `${h.integration.sent.length} notifications for 12 flips`);
    assert.ok(
      h.decisions
        .all()
        .some((d) => d.decision === 'flapping' && d.reason.startsWith('group started flapping')),
    );
    await h.reducer.shutdown(Date.now() + 1000);
  });
});
