import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { AuditLog, AuditRecord } from '../../src/audit/audit-log.ts';
import { InvalidCursor } from '../../src/store/event-store.ts';

/** A backend's audit log plus direct access to its storage, to tamper with it as an intruder would. */
export interface AuditLogHarness {
  log: AuditLog;
  /** A second writer of the same log, as another replica would hold (its own client where there are any). */
  replica: AuditLog;
  /** Overwrites one stored field of entry `seq`, bypassing the log's API. */
  alter(seq: number, field: 'actor' | 'detail', value: string): Promise<void>;
  /** Removes entry `seq` from storage, bypassing the log's API. */
  remove(seq: number): Promise<void>;
  close(): Promise<void>;
}

const record = (i: number): AuditRecord => ({
  actor: i % 2 ? 'alice' : 'bob',
  action: i % 3 ? 'silence.create' : 'api_key.create',
  target: `target-${i}`,
  origin: '127.0.0.1',
  detail: { i, reason: `because ${i}`, nested: { list: [i, 'x'] } },
});

export function auditLogConformance(name: string, open: () => Promise<AuditLogHarness>): void {
  describe(`AuditLog conformance: ${name}`, () => {
    let h: AuditLogHarness;
    beforeEach(async () => {
      h = await open();
      for (let i = 1; i <= 10; i++) await h.log.append(record(i));
    });
    afterEach(async () => {
      await h.close();
    });

    it('chains every entry to the previous one and verifies', async () => {
      const { items } = await h.log.query({ limit: 100 });
      assert.deepEqual(
        items.map((e) => e.seq),
        [10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
      );
      for (let i = 0; i < items.length - 1; i++) assert.equal(items[i]?.prevHash, items[i + 1]?.hash);
      assert.equal(items[9]?.prevHash, '0'.repeat(64));
      assert.deepEqual(items[0]?.detail, record(10).detail);
      assert.deepEqual(await h.log.verify(), { ok: true, entries: 10, firstBroken: null });
    });

    it('filters by actor, action and target, and pages with a cursor', async () => {
      const alice = await h.log.query({ actor: 'alice', limit: 100 });
      assert.deepEqual(
        alice.items.map((e) => e.seq),
        [9, 7, 5, 3, 1],
      );
      const keys = await h.log.query({ action: 'api_key.create', limit: 100 });
      assert.deepEqual(
        keys.items.map((e) => e.seq),
        [9, 6, 3],
      );
      assert.deepEqual(
        (await h.log.query({ target: 'target-4', limit: 100 })).items.map((e) => e.seq),
        [4],
      );
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.log.query({ limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((e) => e.seq));
        cursor = page.next ?? undefined;
      } while (cursor);
      assert.deepEqual(seen, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    });

    it('filters by time: from inclusive, to exclusive, as the stored instants compare', async () => {
      // Appends may share a millisecond: the expectations come from the stored times themselves.
      const all = (await h.log.query({ limit: 100 })).items;
      const from = all[7]?.time as string;
      const to = all[2]?.time as string;
      const seqs = (keep: (time: string) => boolean): number[] =>
        all.filter((e) => keep(e.time)).map((e) => e.seq);
      const fromOnly = (await h.log.query({ from, limit: 100 })).items.map((e) => e.seq);
      assert.deepEqual(
        fromOnly,
        seqs((t) => t >= from),
      );
      assert.ok(fromOnly.includes(3));
      const toOnly = (await h.log.query({ to, limit: 100 })).items.map((e) => e.seq);
      assert.deepEqual(
        toOnly,
        seqs((t) => t < to),
      );
      assert.ok(!toOnly.includes(8));
      assert.deepEqual(
        (await h.log.query({ from, to, limit: 100 })).items.map((e) => e.seq),
        seqs((t) => t >= from && t < to),
      );
      assert.deepEqual((await h.log.query({ from: to, to: to, limit: 100 })).items, []);
    });

    it('refuses a cursor it did not hand out', async () => {
      for (const cursor of ['0', '-1', 'abc', '1e3', '9'.repeat(17), '{"seq":{"gt":0}}']) {
        await assert.rejects(h.log.query({ limit: 5, cursor }), InvalidCursor, cursor);
      }
    });

    it('keeps one gapless chain while two replicas append concurrently', async () => {
      const writes = Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? h.replica : h.log).append(record(100 + i)),
      );
      const appended = await Promise.all(writes);
      assert.deepEqual(
        appended.map((e) => e.seq).sort((a, b) => a - b),
        Array.from({ length: 40 }, (_, i) => 11 + i),
      );
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.replica.query({ limit: 17, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((e) => e.seq));
        cursor = page.next ?? undefined;
      } while (cursor);
      assert.deepEqual(
        seen,
        Array.from({ length: 50 }, (_, i) => 50 - i),
      );
      assert.deepEqual(await h.log.verify(), { ok: true, entries: 50, firstBroken: null });
      assert.deepEqual(await h.replica.verify(), { ok: true, entries: 50, firstBroken: null });
    });

    it('names the first altered entry', async () => {
      await h.alter(4, 'actor', 'mallory');
      const report = await h.log.verify();
      assert.equal(report.ok, false);
      assert.equal(report.firstBroken?.seq, 4);
      assert.match(report.firstBroken?.reason ?? '', /altered/);
    });

    it('names the first removed entry', async () => {
      await h.remove(6);
      const report = await h.log.verify();
      assert.equal(report.ok, false);
      assert.equal(report.firstBroken?.seq, 6);
      assert.match(report.firstBroken?.reason ?? '', /missing/);
    });

    it('notices the newest entries removed', async () => {
      await h.remove(10);
      await h.remove(9);
      const report = await h.log.verify();
      assert.equal(report.ok, false);
      assert.equal(report.firstBroken?.seq, 9);
      assert.match(report.firstBroken?.reason ?? '', /removed/);
    });
  });
}
