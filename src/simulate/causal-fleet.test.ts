import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unixMillis } from '../core/time.ts';
import { recordToEvent } from '../sources/logstash/parse-events.ts';
import { defaultCausalFleetOptions, simulateCausalFleet, type CausalFleetOptions } from './causal-fleet.ts';
import { fleetEvent, logstashRecord } from './fleet-events.ts';
import { EDGE_CROSS_HOST, EDGE_VISIBLE } from './ground-truth.ts';
import { clockOffsetMs } from './host-clock.ts';

function small(overrides: Partial<CausalFleetOptions> = {}): CausalFleetOptions {
  return { ...defaultCausalFleetOptions(), durationMs: 1_000, eventsPerSecond: 5_000, ...overrides };
}

describe('causal fleet simulator', () => {
  it('replays identically for a seed, and differently for another', () => {
    const a = simulateCausalFleet(small({ seed: 3 }));
    const b = simulateCausalFleet(small({ seed: 3 }));
    const c = simulateCausalFleet(small({ seed: 4 }));
    assert.deepEqual(
      a.deliveries.slice(0, 50).map((d) => fleetEvent(a, d.event)),
      b.deliveries.slice(0, 50).map((d) => fleetEvent(b, d.event)),
    );
    assert.notEqual(a.events.length, c.events.length);
  });

  it('makes about the asked event rate, over hosts with clocks within the skew', () => {
    const fleet = simulateCausalFleet(small());
    assert.ok(Math.abs(fleet.events.length - 5_000) < 1_000, `${fleet.events.length} events`);
    for (const clock of fleet.clocks) assert.ok(Math.abs(clock.offsetMs) <= 200);
    assert.ok(
      new Set(fleet.clocks.map((c) => Math.round(clockOffsetMs(c, fleet.options.startMs)))).size > 10,
    );
  });

  it('records happens-before edges that all go forward in true time', () => {
    const fleet = simulateCausalFleet(small());
    const { edgeFrom, edgeTo, edgeFlags, pointTimeMs } = fleet.truth;
    let visible = 0;
    for (let k = 0; k < edgeFrom.length; k++) {
      const [from, to] = [
        pointTimeMs[edgeFrom[k] as number] as number,
        pointTimeMs[edgeTo[k] as number] as number,
      ];
      assert.ok(from < to, `edge ${k}: ${from} before ${to}`);
      if ((edgeFlags[k] as number) & EDGE_VISIBLE) visible += 1;
    }
    assert.ok(visible > 0 && visible < edgeFrom.length, 'some edges are visible, some are not');
  });

  it('emits logs as the Logstash parser reads them and spans with their trace context', () => {
    const fleet = simulateCausalFleet(small());
    const logIndex = fleet.events.findIndex((e) => e.kind === 'log' && e.traceId !== null);
    const log = fleetEvent(fleet, logIndex);
    const sim = fleet.events[logIndex];
    assert.ok(sim);
    const record = logstashRecord(sim, fleet.clocks[sim.host] as (typeof fleet.clocks)[number]);
    const parsed = recordToEvent(record, JSON.stringify(record), {
      receivedAt: '2026-11-24T10:00:00.000000000Z',
    });
    assert.ok(typeof parsed !== 'string');
    const { id: _a, ...fromParser } = parsed;
    const { id: _b, ...simulated } = log;
    assert.deepEqual(simulated, fromParser);
    const server = fleet.events.findIndex(
      (e) => e.kind === 'span' && e.spanKind === 'server' && e.parentSpanId !== null,
    );
    const span = fleetEvent(fleet, server);
    assert.ok(span.kind === 'span' && span.trace?.parentSpanId && span.spanKind === 'server');
    assert.ok(unixMillis(span.endTime) >= unixMillis(span.time));
  });

  it('delivers every event at least once, in arrival order, some late and twice', () => {
    const fleet = simulateCausalFleet(small({ delivery: { ...small().delivery, resendShare: 0.05 } }));
    const delivered = new Set(fleet.deliveries.map((d) => d.event));
    assert.equal(delivered.size, fleet.events.length);
    for (let i = 1; i < fleet.deliveries.length; i++) {
      assert.ok((fleet.deliveries[i - 1]?.arrivalMs ?? 0) <= (fleet.deliveries[i]?.arrivalMs ?? 0));
    }
    assert.ok(fleet.deliveries.some((d) => d.duplicate));
    assert.ok(fleet.deliveries.some((d) => d.resent && d.arrivalMs - fleet.options.startMs > 60_000));
  });

  it('gives a naive sort by timestamp the trouble it has in real fleets: 40-50% of cross-host links inverted', () => {
    const fleet = simulateCausalFleet(small({ durationMs: 2_000 }));
    const raw = (point: number): number => {
      const event = fleetEvent(fleet, point >> 1);
      return unixMillis(point & 1 && event.kind === 'span' ? event.endTime : event.time);
    };
    let cross = 0;
    let inverted = 0;
    for (let k = 0; k < fleet.truth.edgeFrom.length; k++) {
      if (!((fleet.truth.edgeFlags[k] as number) & EDGE_CROSS_HOST)) continue;
      cross += 1;
      if (raw(fleet.truth.edgeFrom[k] as number) > raw(fleet.truth.edgeTo[k] as number)) inverted += 1;
    }
    const share = inverted / cross;
    assert.ok(share > 0.35 && share < 0.55, `${(share * 100).toFixed(1)}% inverted`);
  });
});
