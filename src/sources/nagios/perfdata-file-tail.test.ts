import assert from 'node:assert/strict';
import { appendFile, mkdtemp, open, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CheckEvent, ParseResult, Rejection } from '../../core/event.ts';
import { createPerfdataFileTail, type PerfdataFileTailOptions } from './perfdata-file-tail.ts';
import { InMemoryPositionStore } from './position-store.ts';

const CLOCK = '2026-01-02T03:04:05.000000000Z';

/** A default-template service line whose output names it, so tests can list what was emitted. */
function line(name: string): string {
  return `[SERVICEPERFDATA]\t1700000000\thost\tsvc\t0.010\t0.020\t${name}\tv=1;2;3\n`;
}

/** Collects everything emitted; can be told to fail the next deliveries. */
class Collector {
  readonly batches: ParseResult<CheckEvent>[] = [];
  failNext = 0;
  readonly consumer = (result: ParseResult<CheckEvent>): Promise<void> => {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return Promise.reject(new Error('consumer unavailable'));
    }
    this.batches.push(result);
    return Promise.resolve();
  };

  get outputs(): string[] {
    return this.batches.flatMap((b) => b.events.map((e) => e.output));
  }

  get events(): CheckEvent[] {
    return this.batches.flatMap((b) => b.events);
  }

  get rejections(): Rejection[] {
    return this.batches.flatMap((b) => b.rejections);
  }
}

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-nagios-tail-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
function setup(overrides: Partial<PerfdataFileTailOptions> = {}) {
  const path = join(dir, `service-perfdata-${(counter += 1)}`);
  const collector = new Collector();
  const positions = new InMemoryPositionStore();
  const make = (extra: Partial<PerfdataFileTailOptions> = {}) =>
    createPerfdataFileTail({
      path,
      consumer: collector.consumer,
      positions,
      clock: () => CLOCK,
      ...overrides,
      ...extra,
    });
  return { path, collector, positions, make };
}

describe('createPerfdataFileTail', () => {
  it('waits for a missing file, then reads it', async () => {
    const { path, collector, make } = setup();
    const tail = make();
    await tail.pollOnce();
    assert.deepEqual(collector.batches, []);
    await writeFile(path, line('a') + line('b'));
    await tail.pollOnce();
    assert.deepEqual(collector.outputs, ['a', 'b']);
    await tail.shutdown(Date.now() + 1000);
  });

  it('emits only complete lines and holds a partial last line until its newline arrives', async () => {
    const { path, collector, make } = setup();
    const full = line('second');
    await writeFile(path, line('first') + full.slice(0, 20));
    const tail = make();
    await tail.pollOnce();
    assert.deepEqual(collector.outputs, ['first']);
    await appendFile(path, full.slice(20));
    await tail.pollOnce();
    assert.deepEqual(collector.outputs, ['first', 'second']);
    await tail.shutdown(Date.now() + 1000);
  });

  it('numbers lines, sequences them by byte offset and keys them by path and inode', async () => {
    const { path, collector, make } = setup();
    await writeFile(path, line('a') + '\n' + line('b'));
    const tail = make();
    await tail.pollOnce();
    const inode = String((await stat(path, { bigint: true })).ino);
    assert.deepEqual(
      collector.events.map((e) => [e.sequence, e.sourceKey, e.time]),
      [
        ['0', `${path}@${inode}`, '2023-11-14T22:13:20.000000000Z'],
        [String(line('a').length + 1), `${path}@${inode}`, '2023-11-14T22:13:20.000000000Z'],
      ],
    );
    await appendFile(path, 'garbage\n');
    await tail.pollOnce();
    assert.deepEqual(
      collector.rejections.map((r) => [r.location, r.reason]),
      [['line 4', 'unknown-layout']],
    );
    await tail.shutdown(Date.now() + 1000);
  });

  it('follows a rotation: the rest of the old file (even unterminated) first, then the new file', async () => {
    const { path, collector, make } = setup();
    await writeFile(path, line('old-1'));
    const tail = make();
    await tail.pollOnce();
    // Nagios (or a processing command) moves the file away, a late write lands in it, a new file starts.
    const writer = await open(path, 'a');
    await rename(path, `${path}.1`);
    await writer.appendFile(line('old-2') + line('old-3').slice(0, -1));
    await writer.close();
    await writeFile(path, line('new-1'));
    await tail.pollOnce();
    assert.deepEqual(collector.outputs, ['old-1', 'old-2', 'old-3', 'new-1']);
    await appendFile(path, line('new-2'));
    await tail.pollOnce();
    assert.deepEqual(collector.outputs, ['old-1', 'old-2', 'old-3', 'new-1', 'new-2']);
    await tail.shutdown(Date.now() + 1000);
  });

  it('starts again at 0 after a truncation', async () => {
    const { path, collector, make } = setup();
    await writeFile(path, line('a') + line('b') + line('c'));
    const tail = make();
    await tail.pollOnce();
    await truncate(path, 0);
    await writeFile(path, line('d'));
    await tail.pollOnce();
    assert.deepEqual(collector.outputs, ['a', 'b', 'c', 'd']);
    assert.equal(collector.events.at(-1)?.sequence, '0');
    await tail.shutdown(Date.now() + 1000);
  });

  it('neither loses nor repeats lines across a restart, even when the consumer failed', async () => {
    const { path, collector, positions, make } = setup({ maxBatchBytes: 1024, maxLineBytes: 512 });
    const names = Array.from({ length: 30 }, (_, i) => `line-${i}`);
    await writeFile(path, names.map(line).join(''));
    const first = make();
    collector.failNext = 0;
    // Accept the first batch, then fail: the position stays after the accepted batch.
    let accepted = 0;
    const flaky = createPerfdataFileTail({
      path,
      positions,
      clock: () => CLOCK,
      maxBatchBytes: 1024,
      maxLineBytes: 512,
      consumer: (result) => {
        if (accepted > 0) return Promise.reject(new Error('broker down'));
        accepted += 1;
        return collector.consumer(result);
      },
    });
    await assert.rejects(flaky.pollOnce(), /broker down/);
    await flaky.shutdown(Date.now() + 1000);
    const afterCrash = collector.outputs.length;
    assert.ok(afterCrash > 0 && afterCrash < 30, `first batch only, got ${afterCrash}`);
    const saved = await positions.load(path);
    assert.equal(saved?.line, afterCrash);

    // A new process with the same position store carries on exactly where the accepted lines end.
    await first.pollOnce();
    assert.deepEqual(collector.outputs, names);
    assert.equal(collector.events.at(-1)?.attributes.perfdataFormat, 'default-service');
    await first.shutdown(Date.now() + 1000);

    const restarted = make();
    await restarted.pollOnce();
    assert.deepEqual(collector.outputs, names, 'nothing repeated');
    await appendFile(path, line('after-restart'));
    await restarted.pollOnce();
    assert.deepEqual(collector.outputs, [...names, 'after-restart']);
    await restarted.shutdown(Date.now() + 1000);
  });

  it('retries a batch the consumer refused, from the same line', async () => {
    const { path, collector, make } = setup();
    await writeFile(path, line('a'));
    const tail = make();
    collector.failNext = 1;
    await assert.rejects(tail.pollOnce(), /consumer unavailable/);
    await tail.pollOnce();
    assert.deepEqual(collector.outputs, ['a']);
    await tail.shutdown(Date.now() + 1000);
  });

  it('rejects an over-long line and keeps reading after it', async () => {
    const { path, collector, make } = setup({ maxBatchBytes: 1024, maxLineBytes: 300 });
    await writeFile(path, line('before') + 'x'.repeat(5000) + '\n' + line('after'));
    const tail = make();
    await tail.pollOnce();
    assert.deepEqual(collector.outputs, ['before', 'after']);
    assert.deepEqual(
      collector.rejections.map((r) => [r.location, r.reason]),
      [['line 2', 'line-too-long']],
    );
    assert.ok((collector.rejections[0]?.raw.length ?? Infinity) <= 4096);
  });

  it('polls on its own after start, and shuts down idempotently (also without start)', async () => {
    const { path, collector, make } = setup({ pollIntervalMs: 20 });
    await writeFile(path, line('a'));
    const tail = make();
    await tail.start();
    await waitFor(() => collector.outputs.length === 1);
    await appendFile(path, line('b'));
    await waitFor(() => collector.outputs.length === 2);
    const deadline = Date.now() + 1000;
    await Promise.all([tail.shutdown(deadline), tail.shutdown(deadline)]);
    await appendFile(path, line('c'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(collector.outputs, ['a', 'b']);
    await make().shutdown(Date.now());
  });

  it('reports consumer failures through onError while running', async () => {
    const errors: unknown[] = [];
    const { path, collector, make } = setup({ pollIntervalMs: 10, onError: (e) => errors.push(e) });
    await writeFile(path, line('a'));
    collector.failNext = 2;
    const tail = make();
    await tail.start();
    await waitFor(() => collector.outputs.length === 1);
    assert.equal(errors.length, 2);
    await tail.shutdown(Date.now() + 1000);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
