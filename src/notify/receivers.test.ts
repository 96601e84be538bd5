import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ManualClock, systemClock } from '../alerting/clock.ts';
import { parseAlertmanagerConfig } from '../alerting/load-alertmanager-config.ts';
import { createDefaultNoiseConfig } from '../stages/reduce-noise/config.ts';
import { MemoryIncidentStore } from '../stages/reduce-noise/incident-store.ts';
import { MemoryDecisionLog } from '../stages/reduce-noise/memory-decision-log.ts';
import { NoiseReducer } from '../stages/reduce-noise/noise-reducer.ts';
import { testAlert } from '../stages/reduce-noise/testing.ts';
import { MemoryStateStore } from '../state/memory/memory-state-store.ts';
import { DeliveryError, GO_ZERO_TIME, type Notification } from './notification.ts';
import { pagerdutyIntegration } from './pagerduty/pagerduty-integration.ts';
import { slackIntegration } from './slack/slack-integration.ts';
import { webhookIntegration } from './webhook/webhook-integration.ts';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** A loopback HTTP receiver that records requests and answers with the next queued status (200 by default). */
class Sink {
  readonly received: Received[] = [];
  statuses: number[] = [];
  hang = false;
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        if (this.hang) return; // never answers: the client's timeout must fire
        this.received.push({
          path: req.url ?? '',
          headers: req.headers,
          body: JSON.parse(text) as Record<string, unknown>,
        });
        res.statusCode = this.statuses.shift() ?? 200;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'n-1',
    receiver: 'team',
    groupKey: '{}:{alertname="Down"}',
    status: 'firing',
    event: 'alerts',
    groupLabels: { alertname: 'Down' },
    commonLabels: { alertname: 'Down', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://tributary.test',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'Down', host: 'a', severity: 'critical' },
        annotations: { summary: 'a is down' },
        startsAt: '2026-01-05T10:00:00.000Z',
        endsAt: GO_ZERO_TIME,
        generatorURL: '',
        fingerprint: '0123456789abcdef',
      },
      {
        status: 'resolved',
        labels: { alertname: 'Down', host: 'b', severity: 'critical' },
        annotations: { summary: 'b is down' },
        startsAt: '2026-01-05T10:00:00.000Z',
        endsAt: '2026-01-05T10:05:00.000Z',
        generatorURL: '',
        fingerprint: 'fedcba9876543210',
      },
    ],
    related: [
      {
        fingerprint: 'x',
        labels: { alertname: 'Absent', host: 'c' },
        relation: 'suppressed',
        source: 'cadvisor',
      },
    ],
    ...overrides,
  };
}

describe('receivers against loopback servers', () => {
  const sink = new Sink();
  before(() => sink.start());
  after(() => sink.stop());

  it('webhook: Alertmanager v4 payload, firing first, max_alerts truncation, idempotency key', async () => {
    const integration = webhookIntegration(
      { kind: 'webhook', url: `${sink.url}/hook`, sendResolved: true, maxAlerts: 1 },
      0,
    );
    await integration.notify(notification(), AbortSignal.timeout(5000));
    const got = sink.received.at(-1);
    assert.equal(got?.path, '/hook');
    assert.equal(got?.headers['idempotency-key'], 'n-1');
    const body = got?.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), [
      'alerts',
      'commonAnnotations',
      'commonLabels',
      'externalURL',
      'groupKey',
      'groupLabels',
      'receiver',
      'status',
      'tributary',
      'truncatedAlerts',
      'version',
    ]);
    assert.equal(body.version, '4');
    assert.equal(body.truncatedAlerts, 1);
    assert.equal(body.groupKey, '{}:{alertname="Down"}');
    const alerts = body.alerts as Record<string, unknown>[];
    assert.equal(alerts.length, 1);
    assert.deepEqual(Object.keys(alerts[0] ?? {}).sort(), [
      'annotations',
      'endsAt',
      'fingerprint',
      'generatorURL',
      'labels',
      'startsAt',
      'status',
    ]);
    assert.equal(alerts[0]?.endsAt, GO_ZERO_TIME);
  });

  it('slack: incoming-webhook message with the suppressed symptoms', async () => {
    const integration = slackIntegration(
      { kind: 'slack', url: `${sink.url}/services/T/B/X`, sendResolved: false, channel: '#ops' },
      0,
    );
    await integration.notify(notification(), AbortSignal.timeout(5000));
    const body = sink.received.at(-1)?.body as {
      channel: string;
      text: string;
      attachments: { text: string }[];
    };
    assert.equal(body.channel, '#ops');
    assert.match(body.text, /^\[FIRING:1\] Down/);
    assert.match(body.attachments[0]?.text ?? '', /Suppressed 1 dependent alert\(s\): c/);
  });

  it('pagerduty: Events v2 trigger and resolve share the group dedup_key', async () => {
    const integration = pagerdutyIntegration(
      { kind: 'pagerduty', url: `${sink.url}/v2/enqueue`, routingKey: 'rk', sendResolved: true },
      0,
    );
    await integration.notify(notification(), AbortSignal.timeout(5000));
    const trigger = sink.received.at(-1)?.body as Record<string, unknown>;
    const dedup = createHash('sha256').update('{}:{alertname="Down"}').digest('hex');
    assert.equal(trigger.routing_key, 'rk');
    assert.equal(trigger.event_action, 'trigger');
    assert.equal(trigger.dedup_key, dedup);
    const payload = trigger.payload as Record<string, unknown>;
    assert.equal(payload.severity, 'critical');
    assert.match(String(payload.summary), /^\[FIRING:1\] Down/);
    await integration.notify(
      notification({
        status: 'resolved',
        alerts: notification().alerts.map((a) => ({ ...a, status: 'resolved' as const })),
      }),
      AbortSignal.timeout(5000),
    );
    assert.deepEqual(sink.received.at(-1)?.body, {
      routing_key: 'rk',
      dedup_key: dedup,
      event_action: 'resolve',
    });
  });

  it('classifies failures: 5xx and 429 retryable, 400 not, connection refused retryable', async () => {
    const integration = webhookIntegration(
      { kind: 'webhook', url: `${sink.url}/hook`, sendResolved: true, maxAlerts: 0 },
      0,
    );
    for (const [status, retryable] of [
      [500, true],
      [429, true],
      [400, false],
    ] as const) {
      sink.statuses = [status];
      await assert.rejects(integration.notify(notification(), AbortSignal.timeout(5000)), (err: unknown) => {
        assert.ok(err instanceof DeliveryError);
        assert.equal(err.retryable, retryable);
        return true;
      });
    }
    const refused = webhookIntegration(
      { kind: 'webhook', url: 'http://127.0.0.1:1/hook', sendResolved: true, maxAlerts: 0 },
      0,
    );
    await assert.rejects(
      refused.notify(notification(), AbortSignal.timeout(5000)),
      (err: unknown) => err instanceof DeliveryError && err.retryable,
    );
  });
});

describe('receivers in the pipeline', () => {
  it('a hanging or failing receiver does not block the others, and is retried alone', async () => {
    const good = new Sink();
    const bad = new Sink();
    const slow = new Sink();
    await Promise.all([good.start(), bad.start(), slow.start()]);
    bad.statuses = [503, 503];
    slow.hang = true;
    const clock = new ManualClock(Date.now());
    const noise = createDefaultNoiseConfig();
    noise.topology.parentWaitMs = 0;
    noise.notify = { timeoutMs: 1500, initialBackoffMs: 100, maxBackoffMs: 200, leaseMs: 60_000 };
    const decisions = new MemoryDecisionLog();
    const config = parseAlertmanagerConfig(`
global: {resolve_timeout: 1h}
route: {receiver: all, group_wait: 0s, group_interval: 1m}
receivers:
  - name: all
    webhook_configs: [{url: '${good.url}/a'}, {url: '${bad.url}/b'}, {url: '${slow.url}/c'}]
`);
    const reducer = new NoiseReducer({
      alertmanager: config,
      noise,
      clock: systemClock,
      state: new MemoryStateStore(),
      decisions,
      incidents: new MemoryIncidentStore(),
      replicaId: 'r',
      externalURL: '',
      logger: { info: () => {}, error: () => {} },
    });
    await reducer.start();
    const started = Date.now();
    await reducer.receive([testAlert({ alertname: 'Down', host: 'x' }, clock)]);
    while (decisions.all().every((d) => d.decision !== 'failed') && Date.now() - started < 10_000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(good.received.length, 1, 'the healthy receiver got it at once');
    assert.equal(bad.received.length, 3, 'the failing one was retried until it answered 200');
    const failed = decisions.all().find((d) => d.decision === 'failed');
    assert.match(failed?.reason ?? '', /webhook\[2\]/, 'only the hanging one is reported');
    await reducer.shutdown(Date.now() + 2000);
    await Promise.all([good.stop(), bad.stop(), slow.stop()]);
  });
});
