/**
 * Arrival order for the Elasticsearch store, the counterpart of SQLite's `seq`: microseconds since the
 * epoch, strictly increasing within a process. Across replicas, ties are broken by event id, and clock
 * skew only reorders events that arrived within the skew of each other.
 * Microseconds stay below 2^53, so they survive JSON numbers (sort values, aggregations) exactly.
 */
export class ArrivalClock {
  private last = 0;

  constructor(private readonly nowMs: () => number = Date.now) {}

  next(): number {
    this.last = Math.max(this.last + 1, Math.floor(this.nowMs() * 1000));
    return this.last;
  }
}

/** One clock per process, shared by every store in it. */
export const processArrivalClock = new ArrivalClock();
