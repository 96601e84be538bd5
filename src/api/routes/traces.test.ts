import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express, { type NextFunction, type Request, type Response } from 'express';
import fc from 'fast-check';
import { parseOtlpTraces } from '../../sources/otlp/parse-traces.ts';
import { simulateMixedFleet, type SimulatedRequest } from '../../simulate/mixed-fleet.ts';
import { storeMixedFleet, type StoredMixedFleet } from '../../simulate/mixed-fleet-store.ts';
import type { MergedTrace } from '../../stages/link-traces/merged-trace.ts';
import { createTraceFinder } from '../../stages/link-traces/trace-finder.ts';
import { ApiError } from '../errors.ts';
import { traceRoutes } from './traces.ts';

/** The route over a SQLite store on disk holding a simulated mixed fleet; `x-test-team` plays a team key. */
function buildApp(stored: StoredMixedFleet): express.Express {
  const app = express();
  app.set('query parser', 'simple');
  app.use((req, res, next) => {
    const team = req.header('x-test-team');
    res.locals.principal = team ? { id: 'key', scopes: new Set(['read']), team } : null;
    next();
  });
  const traces = createTraceFinder({ store: stored.store, index: stored.index, ends: stored.ends });
  app.use(
    traceRoutes({ traces, servicesOfTeam: (team) => (team === 'web' ? ['storefront', 'pricing'] : [team]) }),
  );
  app.use((req, _res, next) => next(new ApiError('TRB_NOT_FOUND', `no route ${req.method} ${req.path}`)));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status;
    const apiError =
      err instanceof ApiError
        ? err
        : status === 400
          ? new ApiError('TRB_INVALID_REQUEST', 'invalid request')
          : new ApiError('TRB_INTERNAL', 'internal error');
    res.status(apiError.status).json(apiError.toBody());
  });
  return app;
}

describe('GET /v1/traces/:id', () => {
  const fleet = simulateMixedFleet({ seed: 17, requests: 60 });
  const linked = fleet.requests.find((r) => r.hops.every((h) => h.evidence !== 'none')) as SimulatedRequest;
  const unlinked = fleet.requests.find((r) => r.hops.every((h) => h.evidence === 'none')) as SimulatedRequest;
  const dir = mkdtempSync(join(tmpdir(), 'trib-traces-route-'));
  let stored: StoredMixedFleet;
  let server: Server;
  let base = '';
  before(async () => {
    stored = await storeMixedFleet(fleet, { dataDir: dir });
    server = buildApp(stored).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/traces/`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    stored.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(base + path, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const errorOf = (body: Record<string, unknown>) => body.error as { code: string; message: string };

  it('answers the merged trace by OTel trace id and by URL-encoded Pinpoint transaction id alike', async () => {
    const byOtel = await get(linked.entryTraceId);
    assert.equal(byOtel.status, 200);
    const trace = byOtel.body as unknown as MergedTrace;
    assert.equal(trace.spans.length, Object.keys(linked.parents).length);
    assert.deepEqual(trace.summary.services, ['catalog', 'inventory', 'orders', 'pricing', 'storefront']);
    for (const tx of linked.transactionIds) {
      const byPinpoint = await get(encodeURIComponent(tx));
      assert.equal(byPinpoint.status, 200, tx);
      assert.equal((byPinpoint.body as unknown as MergedTrace).requested.form, 'pinpoint');
      assert.deepEqual((byPinpoint.body as unknown as MergedTrace).spans, trace.spans);
    }
  });

  it('exports OTLP JSON with ?format=otlp, which an OTLP receiver takes whole', async () => {
    const { status, body } = await get(`${linked.entryTraceId}?format=otlp`);
    assert.equal(status, 200);
    const parsed = parseOtlpTraces(body, '2026-11-24T12:00:00.000000000Z');
    assert.deepEqual(parsed.rejections, []);
    assert.equal(parsed.events.length, Object.keys(linked.parents).length);
    assert.ok(parsed.events.every((e) => e.trace?.traceId === linked.entryTraceId));
  });

  it('leaves out heuristic joins with ?heuristic=false', async () => {
    const all = (await get(unlinked.entryTraceId)).body as unknown as MergedTrace;
    const strict = (await get(`${unlinked.entryTraceId}?heuristic=false`)).body as unknown as MergedTrace;
    assert.equal(strict.summary.heuristicJoins, 0);
    assert.ok(strict.spans.length <= all.spans.length);
    assert.deepEqual(strict.traceIds, [unlinked.entryTraceId]);
  });

  it('refuses bad ids and parameters with 400 TRB_INVALID_REQUEST and a message saying why', async () => {
    const cases: [string, RegExp][] = [
      ['0'.repeat(32), /all zeros/],
      ['4bf92f3577b34da6', /span id/],
      ['4bf92f3577b34da6a3ce929d0e0e47', /30 hex digits/],
      ['-3829104736159025164', /decimal number/],
      [encodeURIComponent('orders-01^1715678400000^-1001'), /negative/],
      [encodeURIComponent('orders-01^-5^1'), /positive epoch/],
      ['not-a-trace', /not valid/],
      [`${linked.entryTraceId}?format=zipkin`, /format must be one of json, otlp/],
      [`${linked.entryTraceId}?limit=5`, /limit is not a known parameter/],
      [`${linked.entryTraceId}?format=otlp&format=json`, /given once/],
      ['%E0%A4%A', /invalid/],
    ];
    for (const [path, message] of cases) {
      const { status, body } = await get(path);
      assert.equal(status, 400, path);
      assert.equal(errorOf(body).code, 'TRB_INVALID_REQUEST', path);
      assert.match(errorOf(body).message, message, path);
    }
  });

  it('answers 404 TRB_NOT_FOUND for ids nothing is stored under', async () => {
    for (const id of ['ab'.repeat(16), encodeURIComponent('orders-01^1715678400000^999999')]) {
      const { status, body } = await get(id);
      assert.equal(status, 404);
      assert.equal(errorOf(body).code, 'TRB_NOT_FOUND');
      assert.match(errorOf(body).message, /no span or log/);
    }
  });

  it("shows a team key only its services' spans, and 404 where it sees none", async () => {
    const { status, body } = await get(linked.entryTraceId, { 'x-test-team': 'web' });
    assert.equal(status, 200);
    assert.deepEqual((body as unknown as MergedTrace).summary.services, ['pricing', 'storefront']);
    const hidden = await get(encodeURIComponent(linked.transactionIds[1] as string), {
      'x-test-team': 'billing',
    });
    assert.equal(hidden.status, 404);
  });

  it('never answers 5xx, whatever the id (property-based)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom('.', '..', '%2e', '../..'),
          fc.string({ minLength: 1, maxLength: 200 }),
          fc.stringMatching(/^[0-9a-fA-F]{1,40}$/),
          fc.bigInt({ min: -(1n << 64n), max: 1n << 64n }).map(String),
          fc
            .tuple(fc.stringMatching(/^[\w.-]{0,30}$/), fc.bigInt(), fc.bigInt())
            .map(([agent, start, sequence]) => `${agent}^${start}^${sequence}`),
        ),
        async (id) => {
          const { status, body } = await get(encodeURIComponent(id));
          assert.ok([200, 400, 404].includes(status), `${status} for ${JSON.stringify(id)}`);
          if (status === 400) assert.equal(errorOf(body).code, 'TRB_INVALID_REQUEST');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers 400 for every negative long given as the id (property-based)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: -(1n << 63n), max: -1n }), async (n) => {
        const { status, body } = await get(String(n));
        assert.equal(status, 400);
        assert.match(errorOf(body).message, /decimal number|span id/);
      }),
      { numRuns: 100 },
    );
  });
});
