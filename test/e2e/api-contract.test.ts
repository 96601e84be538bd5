import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ERROR_CATALOGUE } from '../../src/api/errors.ts';
import { openApiDocument } from '../../src/api/openapi.ts';
import { getJson, postIngest, startService, type RunningService } from '../support/service.ts';

describe('API contract', () => {
  let svc: RunningService;
  before(async () => {
    svc = await startService({ server: { maxBody: '1mb' } });
  });
  after(async () => {
    await svc.stop();
  });

  it('serves the OpenAPI 3.1 document, whose error catalogue matches the code', async () => {
    const { status, body } = await getJson(`${svc.url}/openapi.json`);
    assert.equal(status, 200);
    assert.equal(body.openapi, '3.1.0');
    const catalogue = body['x-error-catalogue'] as Record<string, { status: number }>;
    assert.deepEqual(Object.keys(catalogue).sort(), Object.keys(ERROR_CATALOGUE).sort());
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE))
      assert.equal(catalogue[code]?.status, entry.status);
    const described = JSON.stringify(openApiDocument.paths);
    for (const code of Object.keys(ERROR_CATALOGUE).filter(
      (c) => c !== 'TRB_INTERNAL' && c !== 'TRB_NOT_FOUND',
    )) {
      assert.ok(described.includes(code), `${code} is used by no documented response`);
    }
  });

  it('answers every documented GET route', async () => {
    for (const [path, item] of Object.entries(openApiDocument.paths)) {
      if (!('get' in item)) continue;
      const response = await fetch(`${svc.url}${path.replace(/\{[^}]+\}/g, 'no-such-thing')}`);
      // A path naming a resource that does not exist answers the catalogue's 404 (or 400 when the name
      // cannot be an id at all, as for traces), everything else 200.
      if (path.includes('{')) assert.ok([400, 404].includes(response.status), `${path}: ${response.status}`);
      else assert.equal(response.status, 200, path);
    }
  });

  it('answers unknown routes with the catalogue 404', async () => {
    const { status, body } = await getJson(`${svc.url}/v1/nope`);
    assert.equal(status, 404);
    assert.equal((body.error as { code: string }).code, 'TRB_NOT_FOUND');
  });

  it('never answers 5xx to arbitrary query strings', async () => {
    const names = [
      'kind',
      'service',
      'host',
      'level',
      'from',
      'to',
      'q',
      'trace_id',
      'limit',
      'cursor',
      'sort',
      'x',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom(...names),
            fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.integer().map(String)),
          ),
          {
            maxLength: 5,
          },
        ),
        fc.constantFrom('/v1/events', '/v1/logs'),
        async (params, path) => {
          const qs = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
          const response = await fetch(`${svc.url}${path}?${qs}`);
          const body = (await response.json()) as Record<string, unknown>;
          assert.ok(response.status === 200 || response.status === 400, `${response.status} for ${qs}`);
          if (response.status === 400) assert.ok((body.error as { code: string }).code.startsWith('TRB_'));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never answers 5xx to arbitrary ingest bodies, and stores the valid records beside bad ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string(), fc.json(), fc.constant('{"message":"fuzz valid"}')), {
          maxLength: 10,
        }),
        async (lines) => {
          const response = await postIngest(svc.url, lines.join('\n') || ' ', 'application/x-ndjson');
          assert.ok([200, 207, 400].includes(response.status), `${response.status}`);
        },
      ),
      { numRuns: 150 },
    );
    const stored = await getJson(`${svc.url}/v1/logs?q=fuzz%20valid&limit=1`);
    assert.equal((stored.body.items as unknown[]).length, 1);
  });

  it('refuses repeated parameters and over-long values with 400', async () => {
    assert.equal((await getJson(`${svc.url}/v1/events?service=a&service=b`)).status, 400);
    assert.equal((await getJson(`${svc.url}/v1/events?q=${'a'.repeat(600)}`)).status, 400);
    assert.equal((await getJson(`${svc.url}/v1/events?cursor=${'A'.repeat(5000)}`)).status, 400);
    assert.equal((await getJson(`${svc.url}/v1/events?limit=100000`)).status, 400);
  });

  it('inflates gzip bodies within the size limit and refuses bombs with 413', async () => {
    const { gzipSync } = await import('node:zlib');
    const ok = await fetch(`${svc.url}/v1/ingest/logstash`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ message: 'gzipped probe' })),
    });
    assert.equal(ok.status, 200);
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, ' '));
    const refused = await fetch(`${svc.url}/v1/ingest/logstash`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: bomb,
    });
    assert.equal(refused.status, 413);
  });
});
