import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, before, describe, it } from 'node:test';
import { simulateMixedFleet } from '../../src/simulate/mixed-fleet.ts';
import { sendMixedFleet } from '../../src/simulate/mixed-fleet-send.ts';
import type { MergedTrace } from '../../src/stages/link-traces/merged-trace.ts';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import { requireServer } from '../support/servers.ts';
import { getJson, startService, type RunningService } from '../support/service.ts';

const elasticsearch = requireServer('elasticsearch');

function parentsOf(trace: MergedTrace): Record<string, string | null> {
  return Object.fromEntries(
    trace.spans.map((s) => [
      `${s.traceId}/${s.spanId}`,
      s.parentSpanId ? `${s.parentTraceId}/${s.parentSpanId}` : null,
    ]),
  );
}

/**
 * Two replicas (two whole services, each with its own data dir) on one Elasticsearch: the mixed fleet is
 * sent to A only, so every link and call end is recorded by A; B must answer GET /v1/traces/:id with the
 * same merged trace, exact links and heuristic joins alike.
 */
describe(
  'two replicas answer one merged trace, whichever recorded the evidence',
  { skip: elasticsearch.skip },
  () => {
    const indexPrefix = `trib-test-${randomBytes(4).toString('hex')}-trace-replicas`;
    const client = createElasticsearchClient({ url: elasticsearch.url as string, requestTimeoutMs: 30_000 });
    const fleet = simulateMixedFleet({ seed: 7, requests: 24 });
    let a: RunningService;
    let b: RunningService;
    before(async () => {
      const overrides = { elasticsearch: { url: elasticsearch.url as string, indexPrefix } };
      [a, b] = await Promise.all([startService(overrides), startService(overrides)]);
      const sent = await sendMixedFleet(a.url, fleet);
      assert.deepEqual(sent.failures, []);
      // The events become searchable (as after the periodic refresh); the link indexes are left alone:
      // a read must see them without waiting.
      await client.indices.refresh({ index: `${indexPrefix}-events-*` });
    });
    after(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await client.indices.delete({ index: `${indexPrefix}-*` }, { ignore: [404] });
      await client.indices.deleteIndexTemplate({ name: `${indexPrefix}-*` }, { ignore: [404] });
      await client.close();
    });

    it('answers every request by its trace id and transaction ids on B exactly as on A', async () => {
      const linked = fleet.requests.filter((r) => r.hops.every((h) => h.evidence !== 'none'));
      assert.ok(linked.length > 0 && linked.length < fleet.requests.length);
      let heuristic = 0;
      for (const request of fleet.requests) {
        for (const id of [request.entryTraceId, ...request.transactionIds]) {
          const path = `/v1/traces/${encodeURIComponent(id)}`;
          const fromA = await getJson(`${a.url}${path}`);
          const fromB = await getJson(`${b.url}${path}`);
          assert.equal(fromB.status, 200, id);
          assert.deepEqual(fromB.body, fromA.body, id);
          const trace = fromB.body as unknown as MergedTrace;
          if (linked.includes(request)) assert.deepEqual(parentsOf(trace), request.parents, id);
          heuristic += trace.spans.filter((s) => s.link?.kind === 'heuristic').length;
        }
      }
      // Requests without linking headers are joined by the call ends A recorded.
      assert.ok(heuristic > 0, 'no heuristic join was made');
    });

    it('keeps the links and call ends in the shared indices, none in the replicas’ own databases', async () => {
      await client.indices.refresh({ index: `${indexPrefix}-*` });
      const count = async (family: string) =>
        (await client.count({ index: `${indexPrefix}-${family}-*` })).count;
      assert.ok((await count('trace-links')) > 0);
      assert.ok((await count('call-ends')) > 0);
      for (const replica of [a, b]) {
        const db = new Database(join(replica.dataDir, 'tributary.db'), { readonly: true });
        const tables = db
          .prepare(`SELECT name FROM sqlite_master WHERE name IN ('trace_links', 'call_ends')`)
          .all();
        db.close();
        assert.deepEqual(tables, []);
      }
    });
  },
);
