import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { labelsFingerprint } from './fingerprint.ts';
import { parseAlertmanagerAlerts, parseAlertmanagerAlertsText } from './parse-alerts.ts';

const receivedAt = '2026-11-24T12:00:00.000000000Z';

const memoryLabels: Record<string, string> = {
  alertname: 'HighMemory',
  job: 'cadvisor',
  instance: 'web-1:8080',
  severity: 'page',
  container: 'orders-7',
};

/** What Prometheus' notifier posts: one firing alert (endsAt in the future) and one resolved. */
const prometheusBatch = [
  {
    labels: memoryLabels,
    annotations: { summary: 'orders-7 uses 95% of its memory limit', runbook_url: 'https://runbooks/mem' },
    startsAt: '2026-11-24T11:55:00.123+01:00',
    endsAt: '2026-11-24T12:04:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=container_memory_working_set_bytes',
  },
  {
    labels: { alertname: 'InstanceDown', instance: '[2001:db8::1]:9100', service: 'checkout' },
    startsAt: '2026-11-24T10:00:00Z',
    endsAt: '2026-11-24T11:59:59.999999999Z',
  },
];

describe('Alertmanager v2 alerts', () => {
  it('maps a Prometheus batch: name, status from endsAt vs receivedAt, labels, annotations, times', () => {
    const { events, rejections } = parseAlertmanagerAlerts(prometheusBatch, receivedAt);
    assert.deepEqual(rejections, []);
    const [firing, resolved] = events;
    assert.ok(firing && resolved);
    assert.equal(firing.kind, 'alert');
    assert.equal(firing.source, 'prometheus');
    assert.equal(firing.name, 'HighMemory');
    assert.equal(firing.status, 'firing');
    assert.equal(firing.time, '2026-11-24T10:55:00.123000000Z');
    assert.equal(firing.timestamp, '2026-11-24T11:55:00.123+01:00');
    assert.equal(firing.endsAt, '2026-11-24T12:04:00.000000000Z');
    assert.equal(firing.message, 'orders-7 uses 95% of its memory limit');
    assert.equal(firing.service, 'cadvisor');
    assert.equal(firing.host, 'web-1');
    assert.equal(firing.container, 'orders-7');
    assert.deepEqual(firing.labels, prometheusBatch[0]?.labels);
    assert.deepEqual(firing.annotations, prometheusBatch[0]?.annotations);
    assert.equal(firing.attributes.generatorURL, prometheusBatch[0]?.generatorURL);
    assert.equal(firing.attributes.fingerprint, labelsFingerprint(memoryLabels));

    assert.equal(resolved.status, 'resolved');
    assert.equal(resolved.message, 'InstanceDown');
    assert.equal(resolved.service, 'checkout');
    assert.equal(resolved.host, '2001:db8::1');
  });

  it('is resolved exactly when endsAt is at or before receivedAt', () => {
    const at = (endsAt: string): string | undefined =>
      parseAlertmanagerAlerts(
        [{ labels: { alertname: 'A' }, startsAt: '2026-11-24T11:00:00Z', endsAt }],
        receivedAt,
      ).events[0]?.status;
    assert.equal(at('2026-11-24T12:00:00Z'), 'resolved');
    assert.equal(at('2026-11-24T12:00:00.000000001Z'), 'firing');
    assert.equal(
      parseAlertmanagerAlerts([{ labels: { alertname: 'A' } }], receivedAt).events[0]?.status,
      'firing',
    );
  });

  it('starts at endsAt when startsAt is missing, at receivedAt when both are, and reads Go zero times as unset', () => {
    const [fromEnd, fromReceipt, zero] = parseAlertmanagerAlerts(
      [
        { labels: { alertname: 'A' }, endsAt: '2026-11-24T11:00:00Z' },
        { labels: { alertname: 'B' } },
        { labels: { alertname: 'C' }, startsAt: '0001-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z' },
      ],
      receivedAt,
    ).events;
    assert.equal(fromEnd?.time, '2026-11-24T11:00:00.000000000Z');
    assert.equal(fromEnd?.timestamp, null);
    assert.equal(fromReceipt?.time, receivedAt);
    assert.equal(zero?.time, receivedAt);
    assert.equal(zero?.endsAt, null);
    assert.equal(zero?.status, 'firing');
  });

  it('gives a re-sent alert the same id, and a resolution a new one', () => {
    const again = parseAlertmanagerAlerts(prometheusBatch, receivedAt).events.map((e) => e.id);
    assert.deepEqual(
      parseAlertmanagerAlerts(prometheusBatch, receivedAt).events.map((e) => e.id),
      again,
    );
    const later = parseAlertmanagerAlerts(prometheusBatch, '2026-11-24T13:00:00.000000000Z').events;
    assert.equal(later[0]?.status, 'resolved');
    assert.notEqual(later[0]?.id, again[0]);
  });

  it('rejects bad alerts one by one with their index and reason, keeping the good ones', () => {
    const good = { labels: { alertname: 'Good' } };
    const bad: [unknown, string][] = [
      ['not an object', 'invalid_structure'],
      [{ annotations: {} }, 'missing_labels'],
      [{ labels: {} }, 'missing_labels'],
      [{ labels: { alertname: 'A', value: 3 } }, 'invalid_labels'],
      [{ labels: { severity: 'page' } }, 'missing_alertname'],
      [{ labels: { alertname: '' } }, 'missing_alertname'],
      [{ labels: { alertname: 'A' }, annotations: { summary: ['x'] } }, 'invalid_labels'],
      [{ labels: { alertname: 'A' }, startsAt: 'yesterday' }, 'invalid_time'],
      [{ labels: { alertname: 'A' }, startsAt: 1700000000 }, 'invalid_time'],
      [
        { labels: { alertname: 'A' }, startsAt: '2026-11-24T12:00:00Z', endsAt: '2026-11-24T11:00:00Z' },
        'invalid_time',
      ],
      [{ labels: { alertname: 'A' }, generatorURL: 'not a url' }, 'invalid_generator_url'],
    ];
    const { events, rejections } = parseAlertmanagerAlerts([good, ...bad.map(([b]) => b), good], receivedAt);
    assert.equal(events.length, 2);
    assert.deepEqual(
      rejections.map((r) => [r.location, r.reason]),
      bad.map(([, reason], i) => [`index ${i + 1}`, reason]),
    );
    assert.ok(rejections.every((r) => r.detail.startsWith(r.location ?? '?') && r.source === 'prometheus'));
  });

  it('rejects a body that is not an array, or not JSON', () => {
    assert.equal(
      parseAlertmanagerAlerts({ labels: { alertname: 'A' } }, receivedAt).rejections[0]?.reason,
      'not_an_array',
    );
    assert.equal(
      parseAlertmanagerAlertsText('[{"labels":', receivedAt).rejections[0]?.reason,
      'invalid_json',
    );
    assert.equal(parseAlertmanagerAlertsText(JSON.stringify(prometheusBatch), receivedAt).events.length, 2);
  });

  it('never throws and gives every rejection a reason, whatever the body', () => {
    const alertish = fc.record(
      {
        labels: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.anything()),
        startsAt: fc.oneof(fc.string(), fc.anything()),
        endsAt: fc.string(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.array(fc.oneof(alertish, fc.anything()))), (body) => {
        const { events, rejections } = parseAlertmanagerAlerts(body, receivedAt);
        for (const r of rejections) assert.ok(r.reason.length > 0 && r.detail.length > 0);
        for (const e of events)
          assert.ok(e.name.length > 0 && (e.status === 'firing' || e.status === 'resolved'));
        if (Array.isArray(body)) assert.equal(events.length + rejections.length, body.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('labelsFingerprint', () => {
  it('matches prometheus/common labelSetToFingerprint', () => {
    assert.equal(labelsFingerprint({}), 'cbf29ce484222325');
    assert.equal(
      labelsFingerprint({ name: 'garland, briggs', fear: 'love is not enough' }),
      '507a62d79ee76c9a',
    );
    assert.equal(BigInt('0x507a62d79ee76c9a'), 5799056148416392346n);
  });

  it('does not depend on label order', () => {
    assert.equal(labelsFingerprint({ a: '1', b: '2' }), labelsFingerprint({ b: '2', a: '1' }));
    assert.notEqual(labelsFingerprint({ a: '1', b: '2' }), labelsFingerprint({ a: '12' }));
  });
});
