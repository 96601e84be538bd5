import { open, stat, type FileHandle } from 'node:fs/promises';
import type { ComponentCounters } from '../../core/counters.ts';
import type { CheckEvent, ParseResult } from '../../core/event.ts';
import { withDeadline, type Component } from '../../core/lifecycle.ts';
import { nowInstant } from '../../core/time.ts';
import { reject, type ServiceResolver } from './build-check-event.ts';
import { parsePerfdataFileLine } from './parse-perfdata-file.ts';
import type { PerfdataFileLayout } from './perfdata-file-layout.ts';
import type { FilePosition, PositionStore } from './position-store.ts';

export interface PerfdataFileTailOptions {
  path: string;
  /** Receives each batch; the position advances only after the returned promise resolves. */
  consumer: (result: ParseResult<CheckEvent>) => Promise<void>;
  positions: PositionStore;
  pollIntervalMs?: number;
  /** Bytes read per batch; also the longest line that is not cut (at least `maxLineBytes`). */
  maxBatchBytes?: number;
  /** Longer lines are rejected as `line-too-long` instead of parsed. */
  maxLineBytes?: number;
  layouts?: readonly PerfdataFileLayout[];
  resolveService?: ServiceResolver;
  /** Receive-time clock (a normalized instant); tests pin it. */
  clock?: () => string;
  /** Failures of the consumer, the position store or the file system; the batch is retried next poll. */
  onError?: (error: unknown) => void;
  counters?: ComponentCounters;
}

export interface PerfdataFileTail extends Component {
  /** One poll: emit every complete new line, then follow a rotation or truncation. Serialized. */
  pollOnce(): Promise<void>;
}

const NEWLINE = 0x0a;
const RAW_PREVIEW = 4096;

/**
 * Tails a Nagios perfdata file. Reads only complete lines; follows rotation (the path now names another
 * inode: the old file is read to its end, a final unterminated line included, then the new one from 0) and
 * truncation (size below our offset: start again at 0). Positions are saved after the consumer accepted a
 * batch, so a restart neither loses nor repeats lines. Limits: lines appended to a file that was rotated
 * away while we were stopped are not found again, and a truncation followed by a rewrite past our offset
 * before the next poll is not noticed (true of any offset-based tail).
 */
export function createPerfdataFileTail(options: PerfdataFileTailOptions): PerfdataFileTail {
  const { path, consumer, positions } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const maxLineBytes = options.maxLineBytes ?? 256 * 1024;
  const windowBytes = Math.max(options.maxBatchBytes ?? 1024 * 1024, maxLineBytes + 1);
  const clock = options.clock ?? nowInstant;
  const onError = options.onError ?? (() => undefined);
  const buffer = Buffer.allocUnsafe(windowBytes);

  let saved: FilePosition | undefined | null = null;
  let handle: FileHandle | null = null;
  let inode = '';
  let offset = 0;
  let line = 0;
  let skipping = false;
  let stopping = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function openCurrent(): Promise<boolean> {
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    const st = await handle.stat({ bigint: true });
    inode = String(st.ino);
    const resume = saved && saved.inode === inode && saved.offset <= Number(st.size) ? saved : null;
    offset = resume?.offset ?? 0;
    line = resume?.line ?? 0;
    skipping = false;
    saved = undefined;
    return true;
  }

  /** Emits batches until no complete line is left; `final` also emits an unterminated last line. */
  async function drain(final: boolean): Promise<void> {
    while (handle && !stopping) {
      const { bytesRead } = await handle.read(buffer, 0, windowBytes, offset);
      if (bytesRead === 0) return;
      const ctx = {
        receivedAt: clock(),
        resolveService: options.resolveService,
        sourceKey: `${path}@${inode}`,
      };
      const result: ParseResult<CheckEvent> = { events: [], rejections: [] };
      let pos = 0;
      let lines = 0;
      let nextSkipping = skipping;
      const emit = (start: number, end: number): void => {
        lines += 1;
        const lineNumber = line + lines;
        if (end - start > maxLineBytes) {
          const raw = buffer.toString('utf8', start, Math.min(end, start + RAW_PREVIEW));
          result.rejections.push(
            reject('line-too-long', `longer than ${maxLineBytes} bytes`, `line ${lineNumber}`, raw),
          );
          return;
        }
        const text = buffer.toString('utf8', start, end);
        const one = parsePerfdataFileLine(text, ctx, {
          lineNumber,
          layouts: options.layouts,
          sequence: String(offset + start),
        });
        result.events.push(...one.events);
        result.rejections.push(...one.rejections);
      };
      if (nextSkipping) {
        // The rest of an over-long line already rejected: drop it up to its newline.
        const nl = buffer.subarray(0, bytesRead).indexOf(NEWLINE);
        pos = nl === -1 ? bytesRead : nl + 1;
        nextSkipping = nl === -1;
      }
      for (let nl = indexOfNewline(bytesRead, pos); nl !== -1; nl = indexOfNewline(bytesRead, pos)) {
        emit(pos, nl);
        pos = nl + 1;
      }
      const atEnd = bytesRead < windowBytes;
      if (pos === 0 && !atEnd) {
        emit(0, bytesRead); // no newline in a full window: over-long, rejected
        pos = bytesRead;
        nextSkipping = true;
      } else if (final && atEnd && pos < bytesRead) {
        emit(pos, bytesRead);
        pos = bytesRead;
      }
      if (pos === 0) return;
      await deliver(result, lines);
      offset += pos;
      line += lines;
      skipping = nextSkipping;
      await positions.save(path, { inode, offset, line });
      if (atEnd) return;
    }
  }

  function indexOfNewline(end: number, from: number): number {
    return from >= end ? -1 : buffer.subarray(0, end).indexOf(NEWLINE, from);
  }

  async function deliver(result: ParseResult<CheckEvent>, lines: number): Promise<void> {
    if (result.events.length === 0 && result.rejections.length === 0) return;
    options.counters?.received(lines);
    await consumer(result);
    options.counters?.sent(result.events.length);
    for (const rejection of result.rejections) options.counters?.rejected(rejection.reason);
  }

  async function poll(): Promise<void> {
    if (saved === null) saved = await positions.load(path);
    if (!handle && !(await openCurrent())) return;
    await drain(false);
    const current = await statOrNull(path);
    if (current === null || String(current.ino) !== inode) {
      await drain(true);
      await closeHandle();
      if (current !== null && !stopping && (await openCurrent())) await drain(false);
    } else if (Number(current.size) < offset) {
      offset = 0;
      line = 0;
      skipping = false;
      await drain(false);
    }
  }

  async function closeHandle(): Promise<void> {
    const h = handle;
    handle = null;
    await h?.close();
  }

  function pollOnce(): Promise<void> {
    running ??= poll().finally(() => {
      running = null;
    });
    return running;
  }

  async function tick(): Promise<void> {
    timer = null;
    try {
      await pollOnce();
    } catch (error) {
      options.counters?.error();
      onError(error);
    }
    if (!stopping) timer = setTimeout(() => void tick(), pollIntervalMs);
  }

  async function stop(deadline: number): Promise<void> {
    stopping = true;
    if (timer) clearTimeout(timer);
    timer = null;
    try {
      // Let the batch in flight reach its consumer and save its position, within the deadline.
      if (running) await withDeadline(running, deadline, `tail of ${path}`);
    } catch (error) {
      onError(error);
    } finally {
      await closeHandle().catch(onError);
    }
  }
  let stopped: Promise<void> | null = null;

  return {
    name: `nagios-perfdata-tail:${path}`,
    pollOnce,
    start() {
      if (!stopping && timer === null && running === null) timer = setTimeout(() => void tick(), 0);
      return Promise.resolve();
    },
    shutdown(deadline) {
      stopped ??= stop(deadline);
      return stopped;
    },
  };
}

async function statOrNull(path: string): Promise<{ ino: bigint; size: bigint } | null> {
  try {
    return await stat(path, { bigint: true });
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}
