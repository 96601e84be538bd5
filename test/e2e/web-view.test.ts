import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { AlertEvent, CheckEvent, SpanEvent, TributaryEvent } from '../../src/core/event.ts';
import { eventId } from '../../src/core/event-id.ts';
import { instantFromUnixMillis } from '../../src/core/time.ts';
import { openDatabase, type SqliteDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { SqliteServiceCatalog } from '../../src/store/sqlite/sqlite-service-catalog.ts';
import { webRoutes } from '../../src/web/routes.ts';
import { makeLog, makeMetric } from '../support/events.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`;
const RESULTS = resolve(import.meta.dirname, '..', '..', 'test-results');

const HOSTILE_SERVICE = '<script>document.title="pwned"</script>';
const HOSTILE_LOG = '<img src=x onerror="document.body.dataset.pwned=1"> upstream timeout';
const NOW = Date.now();
const at = (msAgo: number): string => instantFromUnixMillis(NOW - msAgo) as string;

/** cAdvisor-like samples every 15 s over the last 30 minutes for each container of `service`. */
function containerMetrics(service: string, containers: readonly string[]): TributaryEvent[] {
  const events: TributaryEvent[] = [];
  for (const [c, container] of containers.entries()) {
    // Counters only grow: accumulate a varying rate.
    let cpuSeconds = 1000 + c * 50;
    let received = 0;
    let transmitted = 0;
    for (let i = 120; i >= 0; i--) {
      const step = 120 - i;
      const metric = (name: string, value: number, labels: Record<string, string> = {}) =>
        makeMetric({
          service,
          container,
          host: `web-${c + 1}`,
          time: at(i * 15_000),
          name,
          value,
          labels,
          message: `${name} ${value} (${service})`,
          metricType: name.endsWith('_total') ? 'counter' : 'gauge',
        });
      cpuSeconds += 15 * (0.22 + 0.12 * Math.sin(step / 9 + c));
      received += 15 * (90_000 + 30_000 * Math.cos(step / 7));
      transmitted += 15 * (40_000 + 10_000 * Math.sin(step / 11));
      events.push(
        metric('container_cpu_usage_seconds_total', cpuSeconds, { cpu: 'total' }),
        metric('container_memory_working_set_bytes', (180 + 40 * Math.sin(step / 14) + c * 30) * 1024 ** 2),
        metric('container_spec_memory_limit_bytes', 512 * 1024 ** 2),
        metric('container_network_receive_bytes_total', received, { interface: 'eth0' }),
        metric('container_network_transmit_bytes_total', transmitted, { interface: 'eth0' }),
      );
    }
  }
  return events;
}

function check(
  host: string,
  service: string | null,
  status: 0 | 1 | 2,
  output: string,
  msAgo: number,
): CheckEvent {
  return {
    id: eventId('test-check', host, service, msAgo),
    kind: 'check',
    source: 'nagios',
    service: host === 'web-1' ? 'checkout' : 'orders-db',
    host,
    container: null,
    time: at(msAgo),
    timestamp: null,
    sourceKey: null,
    sequence: null,
    trace: null,
    message: output,
    attributes: {},
    checkHost: host,
    checkService: service,
    status,
    stateType: 'HARD',
    attempt: 1,
    maxAttempts: 3,
    output,
    longOutput: '',
    perfdata: [],
  };
}

function fixtures(): TributaryEvent[] {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const span: SpanEvent = {
    id: eventId('test-span', traceId),
    kind: 'span',
    source: 'otlp',
    service: 'checkout',
    host: 'web-1',
    container: 'checkout-1',
    time: at(120_000),
    timestamp: null,
    sourceKey: null,
    sequence: null,
    trace: { traceId, spanId: '00f067aa0ba902b7', parentSpanId: null },
    message: 'POST /checkout',
    attributes: {},
    name: 'POST /checkout',
    spanKind: 'server',
    endTime: at(119_000),
    durationMs: 1042.5,
    status: 'error',
  };
  const alert: AlertEvent = {
    id: eventId('test-alert', 'CheckoutLatencyHigh'),
    kind: 'alert',
    source: 'prometheus',
    service: 'checkout',
    host: null,
    container: null,
    time: at(300_000),
    timestamp: null,
    sourceKey: null,
    sequence: null,
    trace: null,
    message: 'CheckoutLatencyHigh',
    attributes: {},
    name: 'CheckoutLatencyHigh',
    status: 'firing',
    labels: { severity: 'page', service: 'checkout' },
    annotations: { summary: 'p95 latency of checkout above 1 s for 5 minutes' },
    endsAt: null,
  };
  return [
    ...containerMetrics('checkout', ['checkout-1', 'checkout-2']),
    ...containerMetrics(HOSTILE_SERVICE, ['evil-1']),
    makeLog({ service: 'checkout', time: at(200_000), level: 'info', message: 'order 1042 accepted' }),
    makeLog({
      service: 'checkout',
      time: at(150_000),
      level: 'warn',
      message: 'payment provider slow (812 ms)',
    }),
    makeLog({
      service: 'checkout',
      time: at(120_000),
      level: 'error',
      message: HOSTILE_LOG,
      trace: { traceId, spanId: '00f067aa0ba902b7' },
    }),
    makeLog({
      service: HOSTILE_SERVICE,
      time: at(60_000),
      level: 'info',
      message: '<script>document.title="pwned"</script>',
    }),
    makeLog({
      service: 'cart',
      host: 'web-3',
      time: at(3 * 3600_000),
      level: 'info',
      message: 'cart service idle',
    }),
    span,
    alert,
    check('web-1', null, 0, 'PING OK - Packet loss = 0%, RTA = 0.41 ms', 3_600_000),
    check('web-1', 'HTTP', 0, 'HTTP OK: HTTP/1.1 200 OK - 512 bytes in 0.004 second response time', 60_000),
    check('web-1', 'Disk /', 0, 'DISK OK - free space: / 4000 MB (40%)', 1_800_000),
    check('web-1', 'Disk /', 1, 'DISK WARNING - free space: / 900 MB (9%)', 600_000),
    check('db-1', null, 0, 'PING OK - Packet loss = 0%', 3_600_000),
    check('db-1', null, 1, 'CRITICAL - Host Unreachable (10.0.0.7)', 240_000),
    check('db-1', 'MySQL', 2, 'CRITICAL - Can\'t connect to MySQL server on "db-1" (111)', 240_000),
  ];
}

describe('the built-in web view, in headless Chromium', { skip }, () => {
  let dataDir: string;
  let db: SqliteDatabase;
  let server: Server;
  let base: string;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  const consoleMessages: string[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'trib-web-'));
    db = openDatabase(dataDir);
    const store = new SqliteEventStore(db);
    const catalog = new SqliteServiceCatalog(db);
    const events = fixtures();
    await store.append(events);
    await catalog.observe(
      events.flatMap((e) =>
        e.service === null
          ? []
          : [
              {
                name: e.service,
                time: e.time,
                source: e.source,
                kind: e.kind,
                host: e.host,
                container: e.container,
              },
            ],
      ),
    );
    const app = express();
    app.use(webRoutes({ catalog, store }));
    server = createServer(app);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'trib-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage();
    page.on('console', (message) => consoleMessages.push(message.text()));
    mkdirSync(RESULTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    db?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  async function open(path: string): Promise<string> {
    const response = await page.goto(`${base}${path}`);
    assert.equal(response?.status(), 200, path);
    const csp = response?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp, /unsafe-inline|script-src/);
    return page.locator('body').innerText();
  }

  async function assertNothingExecuted(): Promise<void> {
    assert.notEqual(await page.title(), 'pwned');
    assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
    assert.equal(await page.locator('script').count(), 0, 'no script element reached the DOM');
    assert.deepEqual(
      consoleMessages.filter((m) => /Content Security Policy/i.test(m)),
      [],
      'the stylesheet matches its CSP hash',
    );
  }

  it('lists the services with their health on /', async () => {
    const text = await open('/');
    for (const expected of ['Services', 'checkout', 'cart', 'CRITICAL', 'STALE', 'web-1']) {
      assert.ok(text.includes(expected), `"${expected}" not on /: ${text.slice(0, 400)}`);
    }
    assert.match(text, /\d+\.\d %/, 'a CPU percentage');
    assert.match(text, /MiB \/ 1\.0 GiB/, 'memory against the summed limit of two containers');
    assert.ok(text.includes(HOSTILE_SERVICE), 'the hostile service name shows as text');
    await assertNothingExecuted();
    await page.screenshot({ path: join(RESULTS, 'web-view-index.png'), fullPage: true });
  });

  it('shows a Nagios-style overview on /hosts', async () => {
    const text = await open('/hosts');
    assert.match(text, /web-1\s+UP/);
    assert.match(text, /db-1\s+DOWN/);
    assert.ok(text.includes('2 of 2 services available'), text);
    assert.ok(text.includes('0 of 1 services available'), text);
    assert.ok(text.includes('DISK WARNING - free space'), 'recent events');
    assert.ok(text.includes('PENDING'), 'hosts other sources know, without checks');
    await assertNothingExecuted();
    await page.screenshot({ path: join(RESULTS, 'web-view-hosts.png'), fullPage: true });
  });

  it('shows charts, alerts, logs and traces on /services/:name, with hostile text escaped', async () => {
    const text = await open('/services/checkout');
    for (const expected of [
      'CheckoutLatencyHigh',
      'p95 latency of checkout above 1 s',
      'order 1042 accepted',
      HOSTILE_LOG,
      '4bf92f3577b34da6a3ce929d0e0e4736',
      'POST /checkout',
      'DISK WARNING',
    ]) {
      assert.ok(text.includes(expected), `"${expected}" not on the service page`);
    }
    assert.equal(await page.locator('svg.chart').count(), 3, 'CPU, memory and network charts');
    assert.ok((await page.locator('svg.chart polyline').count()) >= 4);
    assert.equal(await page.locator('main img').count(), 0, 'the log line holding <img> stays text');
    const traceLink = await page
      .locator('a', { hasText: '4bf92f3577b34da6a3ce929d0e0e4736' })
      .first()
      .getAttribute('href');
    assert.equal(traceLink, '/v1/logs?trace_id=4bf92f3577b34da6a3ce929d0e0e4736');
    await assertNothingExecuted();
    await page.screenshot({ path: join(RESULTS, 'web-view.png'), fullPage: true });
  });

  it('opens the page of a service named like a script, as text', async () => {
    const text = await open(`/services/${encodeURIComponent(HOSTILE_SERVICE)}`);
    assert.ok(text.includes(HOSTILE_SERVICE));
    await assertNothingExecuted();
    const missing = await page.goto(`${base}/services/nobody`);
    assert.equal(missing?.status(), 404);
  });
});
