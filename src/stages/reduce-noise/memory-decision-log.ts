import type {
  Decision,
  DecisionQuery,
  DecisionReader,
  DecisionRecorder,
  StoredDecision,
} from './decision.ts';

/** Decisions in memory (tests, tools); newest first on query. Bounded: the oldest are dropped first. */
export class MemoryDecisionLog implements DecisionRecorder, DecisionReader {
  private readonly items: StoredDecision[] = [];
  private seq = 0;

  constructor(private readonly capacity = 100_000) {}

  async record(decision: Decision): Promise<void> {
    this.items.push({ ...decision, seq: ++this.seq });
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  async query(q: DecisionQuery): Promise<{ items: StoredDecision[]; next: string | null }> {
    const out: StoredDecision[] = [];
    for (let i = this.items.length - 1; i >= 0 && out.length <= q.limit; i--) {
      const d = this.items[i] as StoredDecision;
      if (matchesQuery(d, q)) out.push(d);
    }
    const page = out.slice(0, q.limit);
    return { items: page, next: out.length > q.limit ? String(page[page.length - 1]?.seq) : null };
  }

  /** Everything recorded, oldest first (tests). */
  all(): readonly StoredDecision[] {
    return this.items;
  }
}

export function matchesQuery(d: StoredDecision, q: DecisionQuery): boolean {
  if (q.cursor !== undefined && d.seq >= q.cursor) return false;
  if (q.decision && d.decision !== q.decision) return false;
  if (q.receiver && d.receiver !== q.receiver) return false;
  if (q.groupKey && d.groupKey !== q.groupKey) return false;
  if (q.service && !d.services.includes(q.service)) return false;
  if (q.services && !d.services.some((s) => q.services?.includes(s))) return false;
  if (q.from !== undefined && d.time < q.from) return false;
  if (q.to !== undefined && d.time >= q.to) return false;
  return true;
}
