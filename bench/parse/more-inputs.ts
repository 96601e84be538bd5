import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAlertmanagerAlertsText } from '../../src/sources/alertmanager-api/parse-alerts.ts';
import { parseCadvisorMetrics } from '../../src/sources/cadvisor/parse-metrics.ts';
import { parseOtlpTraces } from '../../src/sources/otlp/parse-traces.ts';
import { parseJsonKeepingBigIntegers } from '../../src/sources/otlp/json-text.ts';
import { parsePinpointSpansText } from '../../src/sources/pinpoint/parse-spans.ts';
import { benchRow, type BenchRow } from './measure.ts';

const receivedAt = '2026-01-01T00:00:00.000000000Z';
const fixtures = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures');

/** cAdvisor /metrics text (the upstream golden file, repeated for 20 containers) against a bare line split. */
export function benchCadvisor(): BenchRow {
  const one = readFileSync(join(fixtures, 'cadvisor', 'prometheus_metrics.prom'), 'utf8');
  const samples = one.split('\n').filter((l) => l && !l.startsWith('#'));
  const headers = one.split('\n').filter((l) => l.startsWith('#'));
  const text = [
    ...headers,
    ...Array.from({ length: 20 }, (_, i) =>
      samples.map((l) => l.replace('name="testcontaineralias"', `name="c${i}"`)),
    ).flat(),
  ].join('\n');
  const events = parseCadvisorMetrics(text, { scrapedAt: receivedAt, host: 'h' }).events.length;
  return benchRow(
    'cAdvisor exposition text',
    text,
    events,
    () => parseCadvisorMetrics(text, { scrapedAt: receivedAt, host: 'h' }),
    'split lines + split(" ")',
    () => text.split('\n').map((l) => l.split(' ')),
  );
}

/** OTLP/JSON traces: 2000 spans in one request, against bare JSON.parse of the same body. */
export function benchOtlp(): BenchRow {
  const spans = Array.from({ length: 2000 }, (_, i) => ({
    traceId: (i + 1).toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: `GET /api/items/${i}`,
    kind: 2,
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n),
    endTimeUnixNano: String(1_700_000_000_000_500_000n + BigInt(i) * 1000n),
    attributes: [
      { key: 'http.method', value: { stringValue: 'GET' } },
      { key: 'http.status_code', value: { intValue: '200' } },
    ],
    status: {},
  }));
  const body = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
        scopeSpans: [{ scope: { name: 'bench' }, spans }],
      },
    ],
  });
  return benchRow(
    'OTLP/JSON traces',
    body,
    spans.length,
    () => parseOtlpTraces(parseJsonKeepingBigIntegers(body), receivedAt),
    'JSON.parse',
    () => JSON.parse(body) as unknown,
  );
}

/** Pinpoint span JSON (the constructed caller/callee pair, repeated), against bare JSON.parse. */
export function benchPinpoint(): BenchRow {
  const fixture = JSON.parse(
    readFileSync(join(fixtures, 'pinpoint', 'pspan-messages-constructed.json'), 'utf8'),
  ) as {
    messages: unknown[];
  };
  const body = JSON.stringify({
    ...fixture,
    messages: Array.from({ length: 500 }, () => fixture.messages).flat(),
  });
  const events = parsePinpointSpansText(body, receivedAt).events.length;
  return benchRow(
    'Pinpoint spans JSON',
    body,
    events,
    () => parsePinpointSpansText(body, receivedAt),
    'JSON.parse',
    () => JSON.parse(body) as unknown,
  );
}

/** Alertmanager v2 alerts: 1000 alerts, against bare JSON.parse. */
export function benchAlerts(): BenchRow {
  const body = JSON.stringify(
    Array.from({ length: 1000 }, (_, i) => ({
      labels: {
        alertname: 'HighLatency',
        service: `svc-${i % 20}`,
        instance: `10.0.0.${i % 250}:9100`,
        severity: 'page',
      },
      annotations: { summary: `latency above 500ms on ${i}` },
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: '2026-01-01T01:00:00Z',
      generatorURL: 'http://prometheus/graph?g0.expr=up',
    })),
  );
  return benchRow(
    'Alertmanager v2 alerts',
    body,
    1000,
    () => parseAlertmanagerAlertsText(body, receivedAt),
    'JSON.parse',
    () => JSON.parse(body) as unknown,
  );
}
