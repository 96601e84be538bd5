import { MinHeap } from './min-heap.ts';
import type { Point } from './point.ts';

/** Width of a bucket, ms of corrected time: a few hundred points at 50k events/s. */
const BUCKET_MS = 5;

/**
 * Pending points by offset-corrected time, in buckets: taking out everything the watermark passed costs
 * a constant per point instead of a heap's logarithm (only the bucket numbers are in a heap). Within a
 * bucket, arrival order.
 */
export class CandidateQueue {
  private readonly buckets = new Map<number, Point[]>();
  private readonly order = new MinHeap<number>((a, b) => a < b);
  size = 0;

  push(p: Point): void {
    const b = bucketOf(p.candidateMs);
    let list = this.buckets.get(b);
    if (!list) {
      this.buckets.set(b, (list = []));
      this.order.push(b);
    }
    list.push(p);
    this.size += 1;
  }

  /** Hands every point at or before `limit` to `visit`, oldest bucket first. */
  takeUpTo(limit: number, visit: (p: Point) => void): void {
    for (let b = this.order.peek(); b !== undefined && b * BUCKET_MS <= limit; b = this.order.peek()) {
      const list = this.buckets.get(b) as Point[];
      if ((b + 1) * BUCKET_MS <= limit) {
        this.order.pop();
        this.buckets.delete(b);
        this.size -= list.length;
        for (const p of list) visit(p);
        continue;
      }
      // The bucket the limit falls in: take what is due, keep the rest.
      const keep: Point[] = [];
      for (const p of list) {
        if (p.candidateMs <= limit) visit(p);
        else keep.push(p);
      }
      this.size -= list.length - keep.length;
      if (keep.length > 0) this.buckets.set(b, keep);
      else {
        this.order.pop();
        this.buckets.delete(b);
      }
      return;
    }
  }

  /** Removes and returns a point of the earliest bucket (the byte cap forces those first). */
  takeEarliest(): Point | undefined {
    for (let b = this.order.peek(); b !== undefined; b = this.order.peek()) {
      const list = this.buckets.get(b) as Point[];
      const p = list.shift();
      if (list.length === 0) {
        this.order.pop();
        this.buckets.delete(b);
      }
      if (p) {
        this.size -= 1;
        return p;
      }
    }
    return undefined;
  }
}

function bucketOf(ms: number): number {
  return Number.isFinite(ms) ? Math.floor(ms / BUCKET_MS) : 0;
}
