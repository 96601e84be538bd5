import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFixture, skipWithoutFixtures } from '../support/fixtures.ts';
import { getJson, startService, type RunningService } from '../support/service.ts';

async function post(
  url: string,
  body: string,
  contentType: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('collectors over HTTP, end to end', { skip: skipWithoutFixtures }, () => {
  let svc: RunningService;
  before(async () => {
    svc = await startService();
  });
  after(async () => {
    await svc.stop();
  });

  it('stores cAdvisor exposition text pushed to /v1/ingest/cadvisor with its sample timestamps', async () => {
    const text = readFixture('cadvisor', 'prometheus_metrics.prom');
    const response = await post(
      `${svc.url}/v1/ingest/cadvisor?host=node-01`,
      text,
      'text/plain; version=0.0.4',
    );
    assert.equal(response.status, 200, JSON.stringify(response.body).slice(0, 500));
    assert.ok((response.body.accepted as number) > 200);
    const page = await getJson(
      `${svc.url}/v1/events?kind=metric&q=container_memory_working_set_bytes&limit=5`,
    );
    const item = (
      page.body.items as { host: string; name: string; value: number; timestamp: string | null }[]
    )[0];
    assert.equal(item?.host, 'node-01');
    assert.equal(item?.name, 'container_memory_working_set_bytes');
    assert.equal(typeof item?.value, 'number');
  });

  it('stores NRDP JSON and XML check results with SOFT/HARD state', async () => {
    const json = await post(
      `${svc.url}/v1/ingest/nagios`,
      readFixture('nagios', 'nrdp-checkresults-example.json'),
      'application/json',
    );
    assert.equal(json.status, 200, JSON.stringify(json.body));
    const xml = await post(
      `${svc.url}/v1/ingest/nagios`,
      readFixture('nagios', 'nrdp-checkresults-example.xml'),
      'application/xml',
    );
    assert.equal(xml.status, 200, JSON.stringify(xml.body));
    const checks = await getJson(`${svc.url}/v1/events?kind=check&limit=100`);
    const items = checks.body.items as { checkHost: string; stateType: string | null; status: number }[];
    assert.ok(items.length >= 2);
    for (const check of items)
      assert.ok(check.stateType === 'SOFT' || check.stateType === 'HARD', JSON.stringify(check));
  });

  it('refuses a Nagios body of the wrong content type with 415', async () => {
    const response = await post(`${svc.url}/v1/ingest/nagios`, '{}', 'image/png');
    assert.equal(response.status, 415);
  });

  it('answers OTLP/JSON traces and logs with the OTLP response shape', async () => {
    const traces = await fetch(`${svc.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: readFixture('otlp', 'trace.json'),
    });
    assert.equal(traces.status, 200);
    assert.deepEqual(await traces.json(), {});
    const logs = await fetch(`${svc.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: readFixture('otlp', 'logs.json'),
    });
    assert.equal(logs.status, 200);
    const spans = await getJson(`${svc.url}/v1/events?kind=span&source=otlp`);
    assert.equal((spans.body.items as unknown[]).length, 1);
    const bad = await fetch(`${svc.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceSpans": 7',
    });
    assert.equal(bad.status, 400);
    const metrics = await fetch(`${svc.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b',
    });
    assert.equal(metrics.status, 415);
  });

  it('stores Pinpoint spans posted to /v1/ingest/pinpoint with signed 64-bit ids intact', async () => {
    const response = await post(
      `${svc.url}/v1/ingest/pinpoint`,
      readFixture('pinpoint', 'pspan-messages-constructed.json'),
      'application/json',
    );
    assert.ok(response.status === 200 || response.status === 207, JSON.stringify(response.body));
    const spans = await getJson(`${svc.url}/v1/events?kind=span&source=pinpoint&limit=100`);
    const items = spans.body.items as { attributes: Record<string, unknown>; trace: { traceId: string } }[];
    assert.ok(items.length >= 2);
    for (const span of items) {
      assert.match(span.trace.traceId, /^[0-9a-f]{32}$/);
      assert.equal(typeof span.attributes['pinpoint.transactionId'], 'string');
    }
  });

  it('lists cAdvisor and Nagios services in /v1/services', async () => {
    const { body } = await getJson(`${svc.url}/v1/services`);
    const sources = new Set((body.items as { sources: string[] }[]).flatMap((s) => s.sources));
    assert.ok(sources.has('cadvisor'), JSON.stringify(body.items));
    assert.ok(sources.has('nagios'), JSON.stringify(body.items));
  });
});
