import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDatabase } from '../../store/sqlite/open-database.ts';
import type { Decision, DecisionReader, DecisionRecorder } from './decision.ts';
import {
  MemoryIncidentStore,
  type IncidentReader,
  type IncidentRecord,
  type IncidentSink,
} from './incident-store.ts';
import { MemoryDecisionLog } from './memory-decision-log.ts';
import { SqliteDecisionLog } from './sqlite-decision-log.ts';
import { SqliteIncidentStore } from './sqlite-incident-store.ts';

function decision(i: number, overrides: Partial<Decision> = {}): Decision {
  return {
    time: 1_000_000 + i * 1000,
    decision: i % 2 === 0 ? 'sent' : 'inhibited',
    reason: `reason ${i}`,
    receiver: i % 3 === 0 ? 'pager' : 'team',
    groupKey: `{}:{alertname="A${i % 4}"}`,
    notificationId: null,
    incidentId: null,
    fingerprints: [`fp${i}`],
    services: [i % 2 === 0 ? 'cart' : 'search'],
    by: null,
    ...overrides,
  };
}

function incident(i: number, service: string, status: 'firing' | 'resolved'): IncidentRecord {
  return {
    id: i.toString(16).padStart(16, '0'),
    key: `k${i}`,
    class: 'down',
    entity: `host:h${i}`,
    status,
    service,
    host: `h${i}`,
    startsAt: '2026-01-05T10:00:00.000Z',
    endsAt: null,
    updatedAt: new Date(Date.parse('2026-01-05T10:00:00.000Z') + i * 1000).toISOString(),
    flapping: false,
    sources: ['nagios'],
    alerts: [],
  };
}

for (const [name, make] of [
  ['memory', () => new MemoryDecisionLog()],
  ['sqlite', () => new SqliteDecisionLog(openDatabase(':memory:'))],
] as const) {
  describe(`decision log conformance: ${name}`, () => {
    it('pages newest first with a stable cursor and filters', async () => {
      const log: DecisionRecorder & DecisionReader = make();
      for (let i = 0; i < 25; i++) await log.record(decision(i));
      const first = await log.query({ limit: 10 });
      assert.deepEqual(first.items.map((d) => d.reason).slice(0, 2), ['reason 24', 'reason 23']);
      const second = await log.query({ limit: 10, cursor: Number(first.next) });
      const third = await log.query({ limit: 10, cursor: Number(second.next) });
      assert.equal(third.items.length, 5);
      assert.equal(third.next, null);
      const seen = [...first.items, ...second.items, ...third.items].map((d) => d.reason);
      assert.equal(new Set(seen).size, 25);
      assert.equal((await log.query({ limit: 100, decision: 'sent' })).items.length, 13);
      assert.equal((await log.query({ limit: 100, receiver: 'pager' })).items.length, 9);
      assert.equal((await log.query({ limit: 100, service: 'search' })).items.length, 12);
      assert.equal((await log.query({ limit: 100, services: ['cart'] })).items.length, 13);
      assert.equal((await log.query({ limit: 100, services: [] })).items.length, 0);
      assert.equal((await log.query({ limit: 100, from: 1_010_000, to: 1_015_000 })).items.length, 5);
      const one = (await log.query({ limit: 1 })).items[0];
      assert.deepEqual(one?.fingerprints, ['fp24']);
    });
  });
}

for (const [name, make] of [
  ['memory', () => new MemoryIncidentStore()],
  ['sqlite', () => new SqliteIncidentStore(openDatabase(':memory:'))],
] as const) {
  describe(`incident store conformance: ${name}`, () => {
    it('upserts by id, pages newest update first, filters by status and services', async () => {
      const store: IncidentSink & IncidentReader = make();
      for (let i = 1; i <= 12; i++)
        await store.upsert(incident(i, i % 2 ? 'cart' : 'search', i % 3 ? 'firing' : 'resolved'));
      await store.upsert({ ...incident(1, 'cart', 'resolved'), updatedAt: '2026-01-05T11:00:00.000Z' });
      const first = await store.query({ limit: 5 });
      assert.equal(first.items[0]?.id, incident(1, 'cart', 'resolved').id, 'the updated one comes first');
      const rest = await store.query({ limit: 50, cursor: first.next as string });
      assert.equal(first.items.length + rest.items.length, 12);
      assert.equal((await store.query({ limit: 50, status: 'resolved' })).items.length, 5);
      assert.equal((await store.query({ limit: 50, services: ['search'] })).items.length, 6);
      assert.equal((await store.query({ limit: 50, service: 'cart', status: 'firing' })).items.length, 3);
      await assert.rejects(store.query({ limit: 5, cursor: 'garbage' }), /cursor is malformed/);
    });
  });
}
