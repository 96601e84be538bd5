import { MinHeap } from './min-heap.ts';
import type { Point } from './point.ts';

interface Stream {
  maxRawNs: bigint;
  lastArrivalMs: number;
}

/**
 * How far each host's log streams have got, in that host's own clock. A span's end is keyed only once
 * every active log stream of its host has passed it: a log written in the span is then either here or
 * was never written. Raw time of one host needs no offset, so this holds whatever the estimates say
 * (unlike the watermark, which compares hosts). A stream silent for `idleMs` does not count.
 */
export class HostProgress {
  private readonly hosts = new Map<string, Map<string, Stream>>();
  private readonly waiting = new Map<string, MinHeap<Point>>();

  constructor(private readonly idleMs: number) {}

  /** Notes a log; returns the span ends of that host it let through. */
  logArrived(host: string, stream: string, rawNs: bigint, nowMs: number): Point[] {
    let streams = this.hosts.get(host);
    if (!streams) this.hosts.set(host, (streams = new Map()));
    const s = streams.get(stream);
    if (!s) streams.set(stream, { maxRawNs: rawNs, lastArrivalMs: nowMs });
    else {
      if (rawNs > s.maxRawNs) s.maxRawNs = rawNs;
      s.lastArrivalMs = nowMs;
    }
    return this.release(host, nowMs);
  }

  /** Whether every active log stream of `host` is at or past `rawNs`. */
  caughtUp(host: string, rawNs: bigint, nowMs: number): boolean {
    const streams = this.hosts.get(host);
    if (!streams) return true;
    for (const s of streams.values()) {
      if (nowMs - s.lastArrivalMs <= this.idleMs && s.maxRawNs < rawNs) return false;
    }
    return true;
  }

  wait(host: string, p: Point): void {
    let heap = this.waiting.get(host);
    if (!heap) this.waiting.set(host, (heap = new MinHeap((a, b) => a.rawNs < b.rawNs)));
    heap.push(p);
  }

  /** Span ends let through by streams going idle (called every tick). */
  releaseIdle(nowMs: number): Point[] {
    const out: Point[] = [];
    for (const host of this.waiting.keys()) out.push(...this.release(host, nowMs));
    return out;
  }

  private release(host: string, nowMs: number): Point[] {
    const heap = this.waiting.get(host);
    if (!heap) return [];
    const out: Point[] = [];
    for (let p = heap.peek(); p && this.caughtUp(host, p.rawNs, nowMs); p = heap.peek())
      out.push(heap.pop() as Point);
    if (heap.size === 0) this.waiting.delete(host);
    return out;
  }
}
