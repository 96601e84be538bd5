import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { simulateMixedFleet, type SimulatedRequest } from '../../src/simulate/mixed-fleet.ts';
import { sendMixedFleet } from '../../src/simulate/mixed-fleet-send.ts';
import type { MergedTrace } from '../../src/stages/link-traces/merged-trace.ts';
import { getJson, startService, type RunningService } from '../support/service.ts';

/**
 * One mixed fleet (Pinpoint Java and OTel Node services) sent the way its agents and collectors send
 * it, to the real ingest endpoints of a whole embedded service; then read back as merged traces.
 */
describe('linked traces, end to end', () => {
  const fleet = simulateMixedFleet({ seed: 31, requests: 40 });
  const linked = fleet.requests.filter((r) => r.hops.every((h) => h.evidence !== 'none'));
  let svc: RunningService;
  before(async () => {
    svc = await startService();
    const sent = await sendMixedFleet(svc.url, fleet);
    assert.deepEqual(sent.failures, []);
  });
  after(async () => {
    await svc.stop();
  });

  it('stores every span the agents sent, under their recorded trace ids', async () => {
    const request = linked[0] as SimulatedRequest;
    const byTrace = new Map<string, number>();
    for (const span of Object.keys(request.parents)) {
      const traceId = span.split('/')[0] as string;
      byTrace.set(traceId, (byTrace.get(traceId) ?? 0) + 1);
    }
    for (const [traceId, count] of byTrace) {
      const page = await getJson(`${svc.url}/v1/events?kind=span&trace_id=${traceId}&limit=100`);
      assert.equal((page.body.items as unknown[]).length, count, traceId);
    }
  });

  it('answers GET /v1/traces/:id with each linked request as one correctly parented trace', async () => {
    for (const request of linked) {
      for (const id of [request.entryTraceId, ...request.transactionIds]) {
        const { status, body } = await getJson(`${svc.url}/v1/traces/${encodeURIComponent(id)}`);
        assert.equal(status, 200, id);
        const trace = body as unknown as MergedTrace;
        const parents = Object.fromEntries(
          trace.spans.map((s) => [
            `${s.traceId}/${s.spanId}`,
            s.parentSpanId ? `${s.parentTraceId}/${s.parentSpanId}` : null,
          ]),
        );
        assert.deepEqual(parents, request.parents, id);
        const logs = trace.spans.flatMap((s) => s.logs.map((l) => [l.message, `${s.traceId}/${s.spanId}`]));
        for (const [marker, span] of Object.entries(request.logs))
          assert.equal(logs.find(([message]) => message?.includes(marker))?.[1], span, `${id} ${marker}`);
      }
    }
  });
});
