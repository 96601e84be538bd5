import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { EventOrdering } from '../../src/store/event-store.ts';
import { getJson, startService, type RunningService } from '../support/service.ts';

/**
 * One request crossing two hosts whose clocks disagree by 300 ms, sent as OTLP/HTTP JSON the way the
 * OpenTelemetry SDKs send it, to a whole embedded service. True times (ms after t0):
 *
 *   host gw   (clock right)      client span 0..50     log "sending" at 1, log "got reply" at 45
 *   host db   (clock 300 ms slow) server span 10..30   log "handling" at 20, log "answered" at 25
 *
 * By their timestamps the db host's logs come first (they are stamped ~300 ms early); causally the
 * client's "sending" precedes them and "got reply" follows them.
 */
describe('GET /v1/logs in causal order, end to end', () => {
  const t0 = Date.now() - 60_000;
  const traceId = randomBytes(16).toString('hex');
  const clientSpan = randomBytes(8).toString('hex');
  const serverSpan = randomBytes(8).toString('hex');
  const skewMs = -300;
  const nanos = (ms: number) => `${BigInt(Math.round((t0 + ms) * 1000)) * 1000n}`;
  const gw = (ms: number) => nanos(ms);
  const db = (ms: number) => nanos(ms + skewMs);
  const resource = (host: string, service: string) => ({
    attributes: [
      { key: 'host.name', value: { stringValue: host } },
      { key: 'service.name', value: { stringValue: service } },
    ],
  });
  const span = (id: string, parent: string, kind: number, start: string, end: string) => ({
    traceId,
    spanId: id,
    ...(parent ? { parentSpanId: parent } : {}),
    name: kind === 3 ? 'GET /stock' : 'stock lookup',
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
  });
  const log = (spanId: string, time: string, body: string) => ({
    timeUnixNano: time,
    severityText: 'INFO',
    body: { stringValue: body },
    traceId,
    spanId,
  });
  const expectedCausal = ['sending', 'handling', 'answered', 'got reply'];
  let svc: RunningService;

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${svc.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, `${path}: ${await response.text()}`);
  };
  const logsOf = async (query: string) => {
    const { status, body } = await getJson(`${svc.url}/v1/logs?trace_id=${traceId}&limit=100${query}`);
    assert.equal(status, 200, JSON.stringify(body));
    const items = body.items as { id: string; message: string }[];
    return {
      messages: items.map((i) => i.message),
      items,
      orderings: body.orderings as Record<string, EventOrdering>,
    };
  };

  before(async () => {
    svc = await startService();
    // Logs first, then the spans: the stage must wait for the spans the logs name.
    await post('/v1/logs', {
      resourceLogs: [
        {
          resource: resource('db-1', 'inventory'),
          scopeLogs: [
            { logRecords: [log(serverSpan, db(20), 'handling'), log(serverSpan, db(25), 'answered')] },
          ],
        },
        {
          resource: resource('gw-1', 'storefront'),
          scopeLogs: [
            { logRecords: [log(clientSpan, gw(1), 'sending'), log(clientSpan, gw(45), 'got reply')] },
          ],
        },
      ],
    });
    await post('/v1/traces', {
      resourceSpans: [
        {
          resource: resource('db-1', 'inventory'),
          scopeSpans: [{ spans: [span(serverSpan, clientSpan, 2, db(10), db(30))] }],
        },
        {
          resource: resource('gw-1', 'storefront'),
          scopeSpans: [{ spans: [span(clientSpan, '', 3, gw(0), gw(50))] }],
        },
      ],
    });
  });
  after(async () => {
    await svc.stop();
  });

  it("orders one request's logs across hosts by causality, final once the stage releases them", async () => {
    let page = await logsOf('');
    for (let i = 0; i < 100 && !page.items.every((item) => page.orderings[item.id]?.final); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      page = await logsOf('');
    }
    assert.ok(
      page.items.every((item) => page.orderings[item.id]?.final),
      `keys still provisional after 10 s: ${JSON.stringify(page.orderings)}`,
    );
    assert.deepEqual(page.messages, expectedCausal);
    // The db host's applied offset is its true skew within the bound the RPC pair gives.
    const handling = page.items.find((i) => i.message === 'handling') as { id: string };
    const gwLog = page.items.find((i) => i.message === 'sending') as { id: string };
    const dbOffset = page.orderings[handling.id] as EventOrdering;
    const gwOffset = page.orderings[gwLog.id] as EventOrdering;
    assert.ok(dbOffset.offsetMs !== null && gwOffset.offsetMs !== null, JSON.stringify(page.orderings));
    const relative = (dbOffset.offsetMs as number) - (gwOffset.offsetMs as number);
    assert.ok(
      Math.abs(relative - skewMs) <= 25,
      `estimated relative offset ${relative} ms, true ${skewMs} ms`,
    );
  });

  it('gives the naive order with order=timestamp, and causal order is the default only for logs', async () => {
    const naive = await logsOf('&order=timestamp');
    assert.deepEqual(naive.messages, ['handling', 'answered', 'sending', 'got reply']);
    assert.equal(naive.orderings, undefined);
    const explicit = await logsOf('&order=causal');
    assert.deepEqual(explicit.messages, expectedCausal);
    const events = await getJson(`${svc.url}/v1/events?kind=log&trace_id=${traceId}&sort=asc`);
    assert.deepEqual(
      (events.body.items as { message: string }[]).map((i) => i.message),
      naive.messages,
    );
    const descending = await logsOf('&sort=desc');
    assert.deepEqual(descending.messages, [...expectedCausal].reverse());
  });

  it('shows the estimated host offsets and the stage counters on GET /v1/ordering', async () => {
    // Span ends are held until the hold limit when no later event moves the watermark past them.
    let { status, body } = await getJson(`${svc.url}/v1/ordering`);
    for (let i = 0; i < 60 && (body.stats as { unreleased: number }).unreleased > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ({ status, body } = await getJson(`${svc.url}/v1/ordering`));
    }
    assert.equal(status, 200, JSON.stringify(body));
    const hosts = body.hosts as { host: string; offsetMs: number; errorMs: number; peers: number }[];
    const db1 = hosts.find((h) => h.host === 'db-1');
    const gw1 = hosts.find((h) => h.host === 'gw-1');
    assert.ok(db1 && gw1, JSON.stringify(hosts));
    assert.ok(Math.abs(db1.offsetMs - gw1.offsetMs - skewMs) <= 25, JSON.stringify(hosts));
    assert.equal(db1.peers, 1);
    const stats = body.stats as { received: number; violations: number; unreleased: number };
    assert.equal(stats.received, 6, JSON.stringify(stats));
    assert.equal(stats.violations, 0, JSON.stringify(stats));
    assert.equal(stats.unreleased, 0, JSON.stringify(stats));
  });

  it('refuses an unknown order with a 400 naming the parameter', async () => {
    const { status, body } = await getJson(`${svc.url}/v1/logs?order=random`);
    assert.equal(status, 400);
    assert.match(JSON.stringify(body), /order/);
  });
});
