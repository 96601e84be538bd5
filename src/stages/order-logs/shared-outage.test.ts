import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryOrderingState } from './in-memory-shared-state.ts';
import type { OffsetSample } from './offset-sample.ts';
import { compareKeys, type OrderKey } from './order-key.ts';
import { createOrderingStage, type OrderingStage } from './ordering-stage.ts';
import type { OrderingSharedState, SharedSpanKeys } from './shared-state.ts';
import { FakeClock, RecordingKeySink, testLog, testSpan } from './testing.ts';

/** A shared state that can be switched off: every call then rejects, as a Redis client does. */
class SwitchableState implements OrderingSharedState {
  down = true;
  calls = 0;
  constructor(private readonly inner: OrderingSharedState) {}
  private async gate(): Promise<void> {
    this.calls += 1;
    if (this.down) throw new Error('Redis at redis://127.0.0.1:1 is not connected');
  }
  async publishSpanKeys(keys: readonly SharedSpanKeys[]): Promise<void> {
    await this.gate();
    return this.inner.publishSpanKeys(keys);
  }
  async lookupSpanKeys(refs: readonly string[]): Promise<ReadonlyMap<string, SharedSpanKeys>> {
    await this.gate();
    return this.inner.lookupSpanKeys(refs);
  }
  async exchangeOffsetSamples(replica: string, samples: readonly OffsetSample[], cursor: string) {
    await this.gate();
    return this.inner.exchangeOffsetSamples(replica, samples, cursor);
  }
}

const TRACE = 'b'.repeat(32);
const clientSpan = testSpan({
  id: 'C',
  host: 'cli',
  at: 50,
  end: 60,
  traceId: TRACE,
  spanId: '1'.repeat(16),
  spanKind: 'client',
});
// The server host's clock is 50 ms behind: by the clocks, the server started before its client.
const serverSpan = testSpan({
  id: 'S',
  host: 'srv',
  at: 2,
  end: 8,
  traceId: TRACE,
  spanId: '2'.repeat(16),
  parentSpanId: '1'.repeat(16),
  spanKind: 'server',
});
const warm = (host: string) => [
  testSpan({
    id: `warm-${host}`,
    host,
    at: 0,
    end: 1,
    traceId: host.padEnd(32, 'f'),
    spanId: host.padEnd(16, 'f'),
  }),
  testLog({ id: `boot-${host}`, host, at: 0 }),
];

function replicas(clock: FakeClock, shared: OrderingSharedState, errors: string[]) {
  const keys = new Map<string, OrderKey>();
  const sinks = [new RecordingKeySink(), new RecordingKeySink()];
  const [client, server] = ['client-side', 'server-side'].map((replica, i) =>
    createOrderingStage(
      {
        now: clock.now,
        shared: { replica, lookupAfterMs: 20, exchangeEveryMs: 100 },
        onRelease: (points) => {
          for (const p of points) keys.set(`${p.record.id}${p.role === 'end' ? '#end' : ''}`, p.key);
        },
        onError: (_error, what) => errors.push(what),
      },
      shared,
      sinks[i] as RecordingKeySink,
    ),
  ) as [OrderingStage, OrderingStage];
  const run = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 10) {
      clock.advance(10);
      for (const stage of [client, server]) stage.tick();
      for (const stage of [client, server]) await stage.idle();
    }
  };
  return { keys, sinks, client, server, run };
}

describe('ordering stage while the shared state is unreachable', () => {
  it('orders with what it sees locally: every event keyed within the wait limit, each failure reported', async () => {
    const clock = new FakeClock();
    const shared = new SwitchableState(new InMemoryOrderingState());
    const errors: string[] = [];
    const r = replicas(clock, shared, errors);
    r.server.offer([...warm('srv'), serverSpan, testLog({ id: 'after-s', host: 'srv', at: 100 })]);
    r.client.offer([...warm('cli'), clientSpan, testLog({ id: 'after-c', host: 'cli', at: 100 })]);
    await r.run(1_500);
    for (const id of ['C', 'C#end', 'S', 'S#end', 'after-s', 'after-c'])
      assert.ok(r.keys.get(id), `${id} keyed`);
    assert.equal(r.sinks[1]?.byId.size, 4, 'the server replica wrote all its keys');
    assert.deepEqual(
      new Set(errors),
      new Set(['looking up span keys', 'publishing span keys', 'exchanging clock samples']),
    );
    assert.ok(shared.calls > 20, `it kept trying (${shared.calls} calls)`);
    const t0 = Date.now();
    await Promise.all([r.client.shutdown(Date.now() + 1_000), r.server.shutdown(Date.now() + 1_000)]);
    assert.ok(Date.now() - t0 < 500, 'shutdown is not held up by the failed calls');
  });

  it('picks the shared state up again when it is back: keys of a split RPC agree', async () => {
    const clock = new FakeClock();
    const shared = new SwitchableState(new InMemoryOrderingState());
    const errors: string[] = [];
    const r = replicas(clock, shared, errors);
    r.server.offer([...warm('srv'), serverSpan, testLog({ id: 'after-s', host: 'srv', at: 100 })]);
    r.client.offer(warm('cli'));
    await r.run(300);
    assert.ok(
      errors.includes('looking up span keys'),
      'the server replica asked for the client span, in vain',
    );
    shared.down = false;
    r.client.offer([clientSpan, testLog({ id: 'after-c', host: 'cli', at: 100 })]);
    await r.run(1_500);
    const [cs, ss, se, ce] = ['C', 'S', 'S#end', 'C#end'].map((id) => r.keys.get(id));
    assert.ok(cs && ss && se && ce, 'all keyed');
    assert.ok(compareKeys(cs, ss) < 0, 'client start, then server start');
    assert.ok(compareKeys(se, ce) < 0, 'server end, then client end');
    await Promise.all([r.client.shutdown(Date.now() + 1_000), r.server.shutdown(Date.now() + 1_000)]);
  });
});
