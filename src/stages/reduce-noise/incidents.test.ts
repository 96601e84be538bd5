import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../alerting/clock.ts';
import { MemoryStateStore } from '../../state/memory/memory-state-store.ts';
import { harness, RecordingIntegration, resolvedAlert, SIMPLE_CONFIG, testAlert } from './testing.ts';

const ONE_GROUP = `
global: {resolve_timeout: 24h}
route: {receiver: team, group_by: [alertname, host], group_wait: 30s, group_interval: 5m}
receivers: [{name: team}]
`;

describe('topology suppression', () => {
  it('a switch down suppresses its hosts and their containers, even when it alerts after them', async () => {
    const clock = new ManualClock();
    const h = harness(clock, ONE_GROUP, {
      noise: (n) => {
        n.topology.parents = new Map([
          ['web-1', ['switch-a']],
          ['web-2', ['switch-a']],
          ['db-1', ['core']],
        ]);
        n.topology.parentWaitMs = 20_000;
      },
    });
    await h.reducer.start();
    await h.reducer.receive([
      testAlert({ alertname: 'HostDown', class: 'down', host: 'web-1' }, clock, { source: 'nagios' }),
      testAlert({ alertname: 'ContainerAbsent', host: 'web-2', container: 'shop' }, clock, {
        source: 'cadvisor',
      }),
      testAlert({ alertname: 'ErrorLogs', host: 'web-2', service: 'shop' }, clock, { source: 'logstash' }),
    ]);
    await clock.advance(5_000);
    // The parent arrives 5 s after its children.
    await h.reducer.receive([testAlert({ alertname: 'SwitchDown', class: 'down', host: 'switch-a' }, clock)]);
    await clock.advance(60_000);
    assert.equal(h.integration.sent.length, 1, h.integration.sent.map((n) => n.groupKey).join('\n'));
    const root = h.integration.sent[0];
    assert.equal(root?.alerts[0]?.labels.alertname, 'SwitchDown');
    assert.deepEqual(root?.related.map((r) => `${r.relation}:${r.labels.alertname}`).sort(), [
      'suppressed:ContainerAbsent',
      'suppressed:ErrorLogs',
      'suppressed:HostDown',
    ]);
    const suppressed = h.decisions.all().filter((d) => d.decision === 'suppressed');
    assert.equal(suppressed.length, 3);
    assert.ok(suppressed.every((d) => d.reason.includes('switch-a')));
    await h.reducer.shutdown(Date.now() + 1000);
  });

  it('an alert without a down parent notifies after the parent wait', async () => {
    const clock = new ManualClock();
    const h = harness(clock, ONE_GROUP.replace('group_wait: 30s', 'group_wait: 0s'), {
      noise: (n) => {
        n.topology.parents = new Map([['web-1', ['switch-a']]]);
        n.topology.parentWaitMs = 20_000;
      },
    });
    await h.reducer.start();
    await h.reducer.receive([testAlert({ alertname: 'DiskFull', host: 'web-1' }, clock)]);
    await clock.advance(10_000);
    assert.equal(h.integration.sent.length, 0, 'held while a parent may still arrive');
    await clock.advance(11_000);
    assert.equal(h.integration.sent.length, 1);
    await h.reducer.shutdown(Date.now() + 1000);
  });
});

describe('cross-source merge', () => {
  it('one host disk filling, seen by Nagios, cAdvisor rules and Prometheus, is one incident and one page', async () => {
    const clock = new ManualClock();
    const h = harness(
      clock,
      ONE_GROUP.replace('group_by: [alertname, host]', 'group_by: [alertname, host, source]'),
      {
        noise: (n) => {
          n.merge = { classes: { NodeFilesystemAlmostOutOfSpace: 'disk_full' }, ignoreLabels: ['replica'] };
        },
      },
    );
    await h.reducer.start();
    await h.reducer.receive([
      testAlert({ alertname: 'NagiosDisk', class: 'disk_full', host: 'db-1', source: 'nagios' }, clock, {
        source: 'nagios',
      }),
    ]);
    await clock.advance(3_000);
    await h.reducer.receive([
      testAlert(
        { alertname: 'NodeFilesystemAlmostOutOfSpace', instance: 'db-1:9100', mountpoint: '/' },
        clock,
      ),
      testAlert({ alertname: 'ContainerFsFull', class: 'disk_full', host: 'db-1' }, clock, {
        source: 'cadvisor',
      }),
    ]);
    await clock.advance(60_000);
    assert.equal(h.integration.sent.length, 1);
    const n = h.integration.sent[0];
    assert.deepEqual(n?.related.map((r) => r.source).sort(), ['cadvisor', 'prometheus']);
    assert.equal(n?.alerts[0]?.annotations.sources, 'cadvisor,nagios,prometheus');
    assert.equal(h.decisions.all().filter((d) => d.decision === 'merged').length, 2);
    const page = await h.incidents.query({ limit: 10 });
    assert.equal(page.items.length, 1);
    assert.equal(page.items[0]?.alerts.length, 3);
    await h.reducer.shutdown(Date.now() + 1000);
  });

  it('two Prometheus replicas sending the same alert with different replica labels page once', async () => {
    const clock = new ManualClock();
    const h = harness(clock, SIMPLE_CONFIG.replace('group_by: [alertname]', "group_by: ['...']"));
    await h.reducer.start();
    await h.reducer.receive([
      testAlert({ alertname: 'HighLatency', service: 'checkout', replica: 'a' }, clock),
      testAlert({ alertname: 'HighLatency', service: 'checkout', replica: 'b' }, clock),
    ]);
    await clock.advance(60_000);
    assert.equal(h.integration.sent.length, 1);
    await h.reducer.shutdown(Date.now() + 1000);
  });
});

describe('flap detection', () => {
  it('a service flapping 15 times gives its first page, one "flapping" and one "stable" notification', async () => {
    const clock = new ManualClock();
    const h = harness(
      clock,
      SIMPLE_CONFIG.replace('group_wait: 30s', 'group_wait: 10s').replace(
        'group_interval: 5m',
        'group_interval: 1m',
      ),
    );
    await h.reducer.start();
    const up = testAlert({ alertname: 'ServiceDown', service: 'cart', host: 'web-3' }, clock, {
      source: 'nagios',
    });
    for (let i = 0; i < 15; i++) {
      await h.reducer.receive([{ ...up, startsAt: clock.now(), updatedAt: clock.now(), endsAt: null }]);
      await clock.advance(60_000);
      await h.reducer.receive([resolvedAlert(up, clock)]);
      await clock.advance(60_000);
    }
    await clock.advance(40 * 60_000);
    const events = h.integration.sent.map((n) => `${n.event}/${n.status}`);
    // Nagios needs five changes to cross 20%: a few pages before the episode is recognised, then quiet.
    assert.ok(events.length <= 7, events.join(' '));
    assert.equal(events.filter((e) => e.startsWith('flapping')).length, 1, events.join(' '));
    assert.equal(events.filter((e) => e.startsWith('stable')).length, 1, events.join(' '));
    assert.equal(h.integration.sent.at(-1)?.status, 'resolved');
    assert.ok(h.decisions.all().some((d) => d.decision === 'flapping' && /% state change/.test(d.reason)));
    await h.reducer.shutdown(Date.now() + 1000);
  });
});

describe('notification ledger', () => {
  it('two replicas sharing one state store send each notification once', async () => {
    const clock = new ManualClock();
    const state = new MemoryStateStore({ now: () => clock.now() });
    const integration = new RecordingIntegration();
    const a = harness(clock, SIMPLE_CONFIG, { state, integration, replicaId: 'a' });
    const b = harness(clock, SIMPLE_CONFIG, { state, integration, replicaId: 'b' });
    await a.reducer.start();
    await b.reducer.start();
    const alerts = [
      testAlert({ alertname: 'Down', host: 'x' }, clock),
      testAlert({ alertname: 'Down', host: 'y' }, clock),
    ];
    await Promise.all([a.reducer.receive(alerts), b.reducer.receive(alerts)]);
    await clock.advance(5 * 3_600_000);
    await Promise.all([
      a.reducer.receive(alerts.map((x) => resolvedAlert(x, clock))),
      b.reducer.receive(alerts.map((x) => resolvedAlert(x, clock))),
    ]);
    await clock.advance(10 * 60_000);
    assert.deepEqual(
      integration.sent.map((n) => n.status),
      ['firing', 'firing', 'resolved'],
      'first page, one repeat after 4h, one resolve: none doubled',
    );
    assert.equal(new Set(integration.sent.map((n) => n.id)).size, 3);
    const sent = [...a.decisions.all(), ...b.decisions.all()].filter((d) => d.decision === 'sent');
    assert.equal(sent.length, 3, 'each decision recorded by the one replica that sent it');
    await a.reducer.shutdown(Date.now() + 1000);
    await b.reducer.shutdown(Date.now() + 1000);
  });

  it('a restart neither repeats nor forgets: open incidents resolve once', async () => {
    const clock = new ManualClock();
    const state = new MemoryStateStore({ now: () => clock.now() });
    const integration = new RecordingIntegration();
    const first = harness(clock, SIMPLE_CONFIG, { state, integration, replicaId: 'r1' });
    await first.reducer.start();
    const alert = testAlert({ alertname: 'Down', host: 'x' }, clock);
    await first.reducer.receive([alert]);
    await clock.advance(60_000);
    assert.equal(integration.sent.length, 1);
    await first.reducer.shutdown(Date.now() + 1000);
    const second = harness(clock, SIMPLE_CONFIG, { state, integration, replicaId: 'r2' });
    await second.reducer.start();
    await second.reducer.receive([alert]); // the source repeats itself after the restart
    await clock.advance(30 * 60_000);
    assert.equal(integration.sent.length, 1, 'no second page after the restart');
    await second.reducer.receive([resolvedAlert(alert, clock)]);
    await clock.advance(10 * 60_000);
    assert.deepEqual(
      integration.sent.map((n) => n.status),
      ['firing', 'resolved'],
    );
    await second.reducer.shutdown(Date.now() + 1000);
  });

  it('a merged incident keeps its primary across a restart: no second page', async () => {
    const clock = new ManualClock();
    const state = new MemoryStateStore({ now: () => clock.now() });
    const integration = new RecordingIntegration();
    const config = SIMPLE_CONFIG.replace('group_by: [alertname]', 'group_by: [alertname, host]');
    const first = harness(clock, config, { state, integration });
    await first.reducer.start();
    const nagios = testAlert({ alertname: 'NagiosDisk', class: 'disk_full', host: 'db-1' }, clock, {
      source: 'nagios',
    });
    await clock.advance(5_000);
    const cadvisor = testAlert(
      { alertname: 'FsFull', class: 'disk_full', host: 'db-1', container: 'pg' },
      clock,
      { source: 'cadvisor' },
    );
    await first.reducer.receive([cadvisor]);
    await first.reducer.receive([nagios]);
    await clock.advance(60_000);
    assert.equal(integration.sent.length, 1);
    await first.reducer.shutdown(Date.now() + 1000);
    const second = harness(clock, config, { state, integration, replicaId: 'r2' });
    await second.reducer.start();
    await second.reducer.receive([nagios, cadvisor]);
    await clock.advance(30 * 60_000);
    assert.equal(integration.sent.length, 1, integration.sent.map((n) => n.groupKey).join(', '));
    await second.reducer.shutdown(Date.now() + 1000);
  });

  it('after a restart, inhibition knows its sources before any group flushes (no race)', async () => {
    const clock = new ManualClock();
    const state = new MemoryStateStore({ now: () => clock.now() });
    const integration = new RecordingIntegration();
    const config = `
global: {resolve_timeout: 24h}
route: {receiver: team, group_by: ['...'], group_wait: 30s}
receivers: [{name: team}]
inhibit_rules: [{source_matchers: ['alertname="NodeDown"'], target_matchers: ['alertname="Latency"'], equal: [host]}]
`;
    const first = harness(clock, config, { state, integration });
    await first.reducer.start();
    const source = testAlert({ alertname: 'NodeDown', host: 'a' }, clock);
    const target = testAlert({ alertname: 'Latency', host: 'a' }, clock);
    await first.reducer.receive([source, target]);
    await clock.advance(60_000);
    assert.deepEqual(
      integration.sent.map((n) => n.alerts[0]?.labels.alertname),
      ['NodeDown'],
    );
    await first.reducer.shutdown(Date.now() + 1000);
    const second = harness(clock, config, { state, integration, replicaId: 'r2' });
    await second.reducer.start();
    // The target's sender repeats itself first; the source only later.
    await second.reducer.receive([{ ...target, updatedAt: clock.now() }]);
    await clock.advance(60_000);
    await second.reducer.receive([{ ...source, updatedAt: clock.now() }]);
    await clock.advance(10 * 60_000);
    assert.deepEqual(
      integration.sent.map((n) => n.alerts[0]?.labels.alertname),
      ['NodeDown'],
    );
    await second.reducer.shutdown(Date.now() + 1000);
  });

  it('downtime longer than an alert horizon neither resolves nor re-pages it', async () => {
    const clock = new ManualClock();
    const state = new MemoryStateStore({ now: () => clock.now() });
    const integration = new RecordingIntegration();
    const first = harness(clock, SIMPLE_CONFIG, { state, integration });
    await first.reducer.start();
    const alert = testAlert({ alertname: 'Down', host: 'x' }, clock, { endsAt: clock.now() + 4 * 60_000 });
    await first.reducer.receive([alert]);
    await clock.advance(60_000);
    await first.reducer.shutdown(Date.now() + 1000);
    await clock.advance(10 * 60_000); // down for longer than the 4-minute horizon
    const second = harness(clock, SIMPLE_CONFIG, { state, integration, replicaId: 'r2' });
    await second.reducer.start();
    await clock.advance(2 * 60_000);
    await second.reducer.receive([{ ...alert, updatedAt: clock.now(), endsAt: clock.now() + 4 * 60_000 }]);
    await clock.advance(3 * 60_000);
    assert.deepEqual(
      integration.sent.map((n) => n.status),
      ['firing'],
      'still one page, no resolve',
    );
    await clock.advance(10 * 60_000); // the source went quiet for good: the horizon ends it
    assert.deepEqual(
      integration.sent.map((n) => n.status),
      ['firing', 'resolved'],
    );
    await second.reducer.shutdown(Date.now() + 1000);
  });

  it('a crash between the receiver 2xx and the record resends the same id (receiver-side dedup)', async () => {
    const clock = new ManualClock();
    const state = new MemoryStateStore({ now: () => clock.now() });
    const seen: string[] = [];
    let crash = true;
    const crashing = new RecordingIntegration();
    crashing.notify = async (n) => {
      seen.push(n.id);
      if (crash) {
        crash = false;
        throw new Error('process killed before the ledger write');
      }
    };
    const h = harness(clock, SIMPLE_CONFIG, {
      state,
      integration: crashing,
      noise: (n) => (n.notify.timeoutMs = 1000),
    });
    await h.reducer.start();
    await h.reducer.receive([testAlert({ alertname: 'Down', host: 'x' }, clock)]);
    await clock.advance(30_000);
    await clock.advance(5 * 60_000);
    assert.equal(seen.length, 2);
    assert.equal(seen[0], seen[1], 'the repeat carries the same notification id');
    await clock.advance(60 * 60_000);
    assert.equal(seen.length, 2, 'and then nothing more');
    await h.reducer.shutdown(Date.now() + 1000);
  });

  it('retries a failing receiver with backoff; a 4xx is not retried and is recorded as failed', async () => {
    const clock = new ManualClock();
    const integration = new RecordingIntegration();
    integration.failures = 2;
    const h = harness(clock, SIMPLE_CONFIG, { integration });
    await h.reducer.start();
    await h.reducer.receive([testAlert({ alertname: 'Down', host: 'x' }, clock)]);
    await clock.advance(40_000);
    assert.equal(integration.sent.length, 1, 'delivered on the third attempt');
    const permanent = new RecordingIntegration();
    permanent.failures = 1;
    permanent.failRetryable = false;
    const p = harness(clock, SIMPLE_CONFIG, { integration: permanent });
    await p.reducer.start();
    await p.reducer.receive([testAlert({ alertname: 'Down', host: 'x' }, clock)]);
    await clock.advance(31_000);
    const failed = p.decisions.all().filter((d) => d.decision === 'failed');
    assert.equal(failed.length, 1);
    assert.match(failed[0]?.reason ?? '', /receiver down/);
    await clock.advance(5 * 60_000);
    assert.equal(permanent.sent.length, 1, 'sent again at the next group interval');
    await h.reducer.shutdown(Date.now() + 1000);
    await p.reducer.shutdown(Date.now() + 1000);
  });
});
