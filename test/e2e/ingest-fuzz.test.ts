import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { readFixture, skipWithoutFixtures } from '../support/fixtures.ts';
import { getJson, startService, type RunningService } from '../support/service.ts';

/** Every ingest endpoint, a content type it accepts, and a valid sample body from the shared fixtures. */
const ENDPOINTS: readonly { path: string; type: string; sample: () => string }[] = [
  {
    path: '/v1/ingest/logstash',
    type: 'application/x-ndjson',
    sample: () => readFixture('logstash', 'event-to_json-spec-samples.ndjson'),
  },
  {
    path: '/v1/ingest/cadvisor',
    type: 'text/plain',
    sample: () => readFixture('cadvisor', 'prometheus_metrics.prom'),
  },
  {
    path: '/v1/ingest/nagios',
    type: 'application/json',
    sample: () => readFixture('nagios', 'nrdp-checkresults-example.json'),
  },
  {
    path: '/v1/ingest/nagios',
    type: 'application/xml',
    sample: () => readFixture('nagios', 'nrdp-checkresults-example.xml'),
  },
  {
    path: '/v1/ingest/nagios',
    type: 'text/plain',
    sample: () => readFixture('nagios', 'external-commands-constructed.txt'),
  },
  { path: '/v1/traces', type: 'application/json', sample: () => readFixture('otlp', 'trace.json') },
  { path: '/v1/logs', type: 'application/json', sample: () => readFixture('otlp', 'logs.json') },
  {
    path: '/v1/ingest/pinpoint',
    type: 'application/json',
    sample: () => readFixture('pinpoint', 'pspan-messages-constructed.json'),
  },
  {
    path: '/api/v2/alerts',
    type: 'application/json',
    sample: () =>
      JSON.stringify([
        {
          labels: { alertname: 'FuzzProbe', severity: 'page' },
          annotations: {},
          startsAt: '2026-01-01T00:00:00Z',
        },
      ]),
  },
];

const CLIENT_ERRORS = new Set([400, 404, 413, 415]);

describe('every ingest endpoint under hostile input', { skip: skipWithoutFixtures }, () => {
  let svc: RunningService;
  before(async () => {
    svc = await startService({ server: { maxBody: '2mb' } });
  });
  after(async () => {
    await svc.stop();
  });

  for (const endpoint of ENDPOINTS) {
    it(`${endpoint.path} (${endpoint.type}): garbage, truncations and wrong types give 2xx or a clear 4xx, never 5xx`, async () => {
      const sample = endpoint.sample();
      const post = async (body: string | Uint8Array): Promise<number> => {
        const payload = typeof body === 'string' ? body : Buffer.from(body).toString('latin1');
        const response = await fetch(`${svc.url}${endpoint.path}`, {
          method: 'POST',
          headers: { 'content-type': endpoint.type },
          body: payload,
        });
        await response.arrayBuffer();
        return response.status;
      };
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ maxLength: 2000 }),
            fc.json({ maxDepth: 6 }),
            fc.uint8Array({ maxLength: 2000 }),
            fc.nat({ max: sample.length }).map((n) => sample.slice(0, n)),
            fc
              .tuple(fc.nat({ max: sample.length }), fc.string({ minLength: 1, maxLength: 5 }))
              .map(([at, junk]) => sample.slice(0, at) + junk + sample.slice(at)),
            fc.constant(sample.replace(/"[^"]*"/, '12345')),
          ),
          async (body) => {
            const status = await post(body);
            assert.ok(
              status < 300 || CLIENT_ERRORS.has(status),
              `${status} for ${JSON.stringify(String(body).slice(0, 200))}`,
            );
          },
        ),
        { numRuns: 60 },
      );
      assert.ok((await post(sample)) < 300, 'the valid sample is still accepted afterwards');
      assert.equal((await getJson(`${svc.url}/healthz`)).status, 200);
    });
  }

  it('counts what it rejected by source and reason in /metrics', async () => {
    // Fuzzed OTLP bodies mostly fail to decode (400 before the intake); one decodable request with a bad
    // span id makes sure an otlp record rejection is counted, whatever the random inputs were.
    const partial = await fetch(`${svc.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'zz', spanId: '00', name: 'bad ids' }] }] }],
      }),
    });
    assert.equal(partial.status, 200);
    await partial.arrayBuffer();
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    for (const source of ['logstash', 'cadvisor', 'nagios', 'otlp', 'pinpoint', 'prometheus']) {
      assert.match(
        text,
        new RegExp(`tributary_events_rejected_total\\{source="${source}",reason="[^"]+"\\} [1-9]`),
        source,
      );
    }
  });
});
