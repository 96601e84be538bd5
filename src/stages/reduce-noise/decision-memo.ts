import type { Decision, DecisionRecorder } from './decision.ts';

const CAPACITY = 100_000;

/**
 * Records a per-alert decision (inhibited, silenced, suppressed...) once per cause rather than at every
 * flush of its group: the trail says why an alert was quiet without repeating it every group_interval.
 */
export class DecisionMemo {
  private readonly seen = new Set<string>();

  constructor(private readonly recorder: DecisionRecorder) {}

  async once(key: string, decision: Decision): Promise<void> {
    if (this.seen.has(key)) return;
    if (this.seen.size >= CAPACITY) this.seen.clear();
    this.seen.add(key);
    await this.recorder.record(decision);
  }

  /** Forgets a cause that ended, so the next time it applies it is recorded again. */
  forget(prefix: string): void {
    for (const key of this.seen) if (key.startsWith(prefix)) this.seen.delete(key);
  }
}
