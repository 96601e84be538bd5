import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { getJson, startService, type RunningService } from '../support/service.ts';

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('real peers', () => {
  let svc: RunningService;
  before(async () => {
    svc = await startService();
  });
  after(async () => {
    await svc.stop();
  });

  it('receives traces from the OpenTelemetry JS SDK (protobuf exporter)', async () => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'otel-sdk-probe', 'host.name': 'sdk-host' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${svc.url}/v1/traces` }))],
    });
    const tracer = provider.getTracer('tributary-test');
    const parent = tracer.startSpan('checkout');
    const traceId = parent.spanContext().traceId;
    parent.setAttribute('order.id', 'A-17');
    parent.end();
    await provider.forceFlush();
    await provider.shutdown();
    const page = await waitFor('the span', async () => {
      const { body } = await getJson(`${svc.url}/v1/events?kind=span&trace_id=${traceId}`);
      const items = body.items as {
        name: string;
        service: string;
        host: string;
        attributes: Record<string, unknown>;
      }[];
      return items.length > 0 ? items : null;
    });
    assert.equal(page[0]?.name, 'checkout');
    assert.equal(page[0]?.service, 'otel-sdk-probe');
    assert.equal(page[0]?.host, 'sdk-host');
    assert.equal(page[0]?.attributes['order.id'], 'A-17');
  });

  it('receives logs from the OpenTelemetry JS SDK (JSON exporter)', async () => {
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'otel-log-probe' }),
      processors: [new BatchLogRecordProcessor(new OTLPLogExporter({ url: `${svc.url}/v1/logs` }))],
    });
    provider
      .getLogger('tributary-test')
      .emit({ body: 'payment declined by issuer', severityText: 'ERROR', severityNumber: 17 });
    await provider.forceFlush();
    await provider.shutdown();
    const items = await waitFor('the log', async () => {
      const { body } = await getJson(`${svc.url}/v1/logs?q=payment%20declined`);
      const list = body.items as { service: string; level: string; source: string }[];
      return list.length > 0 ? list : null;
    });
    assert.equal(items[0]?.service, 'otel-log-probe');
    assert.equal(items[0]?.level, 'error');
    assert.equal(items[0]?.source, 'otlp');
  });

  const prometheus = '/usr/bin/prometheus';
  it(
    'receives the alerts of a real Prometheus on /api/v2/alerts',
    { skip: existsSync(prometheus) ? false : `${prometheus} missing: apt-get install prometheus` },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'trib-prom-'));
      const target = svc.url.replace(/^http:\/\//, '');
      writeFileSync(
        join(dir, 'rules.yml'),
        'groups:\n  - name: probe\n    interval: 1s\n    rules:\n      - alert: TributaryProbeAlwaysFiring\n        expr: vector(1)\n        labels:\n          severity: page\n          service: prom-probe\n        annotations:\n          summary: fires at once\n',
      );
      writeFileSync(
        join(dir, 'prometheus.yml'),
        `global:\n  evaluation_interval: 1s\nrule_files: ['${join(dir, 'rules.yml')}']\nalerting:\n  alertmanagers:\n    - api_version: v2\n      static_configs:\n        - targets: ['${target}']\n`,
      );
      const port = 30000 + Math.floor(Math.random() * 20000);
      const child = spawn(
        prometheus,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--rules.alert.resend-delay=1s',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let log = '';
      child.stderr.on('data', (c: Buffer) => (log += c.toString()));
      try {
        const alerts = await waitFor('the Prometheus alert', async () => {
          const { body } = await getJson(`${svc.url}/v1/events?kind=alert&source=prometheus`);
          const list = body.items as {
            name: string;
            status: string;
            labels: Record<string, string>;
            service: string | null;
          }[];
          return list.length > 0 ? list : null;
        }).catch((err: unknown) => {
          throw new Error(`${(err as Error).message}\nprometheus log:\n${log.slice(-3000)}`);
        });
        assert.equal(alerts[0]?.name, 'TributaryProbeAlwaysFiring');
        assert.equal(alerts[0]?.status, 'firing');
        assert.equal(alerts[0]?.labels.severity, 'page');
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
