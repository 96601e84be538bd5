import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase, type SqliteDatabase } from '../../store/sqlite/open-database.ts';
import { callEndIndexConformance, callEndIndexRetentionConformance } from './call-end-index.conformance.ts';
import { SqliteCallEndIndex } from './sqlite-call-end-index.ts';
import { SqliteTraceLinkIndex } from './sqlite-trace-link-index.ts';
import {
  traceLinkIndexConformance,
  traceLinkIndexRetentionConformance,
} from './trace-link-index.conformance.ts';

const open: SqliteDatabase[] = [];
const db = (): SqliteDatabase => {
  const database = openDatabase(':memory:');
  open.push(database);
  return database;
};
after(() => {
  for (const database of open) database.close();
});

describe('SqliteTraceLinkIndex', () => {
  traceLinkIndexConformance(async () => new SqliteTraceLinkIndex(db()));
  traceLinkIndexRetentionConformance(async (now) => new SqliteTraceLinkIndex(db(), now));
});
describe('SqliteCallEndIndex', () => {
  callEndIndexConformance(async () => new SqliteCallEndIndex(db()));
  callEndIndexRetentionConformance(async () => new SqliteCallEndIndex(db()));
});

describe('SQLite link indexes on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trib-link-index-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const link = {
    kind: 'traceparent' as const,
    relation: 'calls' as const,
    parent: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) },
    child: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16) },
    calleeSpanId: null,
  };
  const end = {
    key: 'p:/price',
    system: 'otel' as const,
    role: 'server' as const,
    startMs: Date.UTC(2026, 10, 24, 10),
    endMs: Date.UTC(2026, 10, 24, 10) + 12,
    traceId: 'c'.repeat(32),
    spanId: 'd'.repeat(16),
    port: null,
    path: '/price',
    method: 'POST',
  };

  it('keeps links and call ends across a reopen, beside the event store tables', async () => {
    const first = openDatabase(dir);
    await new SqliteTraceLinkIndex(first, () => '2026-11-24T10:00:00.000000000Z').add([link]);
    await new SqliteCallEndIndex(first).add([end]);
    first.close();
    const second = openDatabase(dir);
    assert.deepEqual(await new SqliteTraceLinkIndex(second).linksOf(['c'.repeat(32)]), [link]);
    const found = await new SqliteCallEndIndex(second).near({
      keys: ['p:/price'],
      system: 'otel',
      role: 'server',
      fromMs: 0,
      toMs: 1e13,
      limit: 10,
    });
    assert.deepEqual(found, [end]);
    second.close();
  });

  it('deletes what retention cuts off: links by when they were recorded, ends by when they started', async () => {
    const database = db();
    const links = new SqliteTraceLinkIndex(database, () => '2026-11-20T00:00:00.000000000Z');
    const ends = new SqliteCallEndIndex(database);
    await links.add([link]);
    await ends.add([end]);
    assert.equal(await links.deleteOlderThan('2026-11-19T00:00:00.000000000Z'), 0);
    assert.equal(await links.deleteOlderThan('2026-11-21T00:00:00.000000000Z'), 1);
    assert.equal(await ends.deleteOlderThan('2026-11-24T09:59:59.000000000Z'), 0);
    assert.equal(await ends.deleteOlderThan('2026-11-24T10:00:01.000000000Z'), 1);
  });
});
