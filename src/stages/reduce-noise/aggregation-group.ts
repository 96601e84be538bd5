import { formatLabels, isResolved, type Alert } from '../../alerting/alert.ts';
import type { Clock, TimerHandle } from '../../alerting/clock.ts';
import type { Route } from '../../alerting/route-tree.ts';

/**
 * Runs the notification pipeline for the group; resolves true when the flush is done: its resolved alerts
 * may go (false: a failed send, or a flap episode still open).
 */
export type FlushFn = (
  group: AggregationGroup,
  alerts: Alert[],
  flushAt: (time: number) => void,
) => Promise<boolean>;

/**
 * Alertmanager's aggregation group: the alerts of one route with the same group labels. The first flush
 * comes `group_wait` after the group is created (at once when its alert is already older than that),
 * then one every `group_interval`; the dedup stage decides whether a flush notifies.
 */
export class AggregationGroup {
  readonly key: string;
  readonly alerts = new Map<string, Alert>();
  private timer: TimerHandle | null = null;
  private nextAt = Infinity;
  private flushing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    readonly route: Route,
    readonly groupLabels: Record<string, string>,
    private readonly clock: Clock,
    private readonly flush: FlushFn,
    private readonly onEmpty: (group: AggregationGroup) => void,
  ) {
    this.key = `${route.key}:${formatLabels(groupLabels)}`;
  }

  /** Adds or replaces an alert; true when the group did not hold it before. */
  insert(alert: Alert): boolean {
    const isNew = !this.alerts.has(alert.fingerprint);
    this.alerts.set(alert.fingerprint, alert);
    if (this.nextAt === Infinity && !this.flushing) {
      const now = this.clock.now();
      // An alert that started long ago (a restart, a late sender) need not wait again.
      const wait = alert.startsAt + this.route.groupWait <= now ? 0 : this.route.groupWait;
      this.schedule(now + wait);
    }
    return isNew;
  }

  /** Flushes no later than `time` (never postpones an earlier flush). */
  flushAt(time: number): void {
    if (time < this.nextAt) this.schedule(time);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }

  /** Resolves when a flush in progress has finished (shutdown). */
  async idle(): Promise<void> {
    await this.flushing;
  }

  private schedule(at: number): void {
    if (this.stopped) return;
    this.timer?.cancel();
    this.nextAt = at;
    this.timer = this.clock.setTimeout(() => this.run(), Math.max(0, at - this.clock.now()));
  }

  private run(): void {
    this.timer = null;
    this.nextAt = Infinity;
    if (this.flushing) {
      this.flushAt(this.clock.now() + 1000);
      return;
    }
    this.flushing = this.runFlush().finally(() => {
      this.flushing = null;
    });
  }

  private async runFlush(): Promise<void> {
    const snapshot = [...this.alerts.values()];
    let requested = Infinity;
    let done = false;
    try {
      done = await this.flush(this, snapshot, (t) => (requested = Math.min(requested, t)));
    } catch {
      done = false; // the pipeline reports its own errors; the group simply tries again next interval
    }
    const now = this.clock.now();
    if (done) {
      // Resolved alerts that did not change during the flush are done with (Alertmanager does the same).
      for (const a of snapshot) {
        if (isResolved(a, now) && this.alerts.get(a.fingerprint) === a) this.alerts.delete(a.fingerprint);
      }
    }
    if (this.alerts.size === 0) {
      this.stop();
      this.onEmpty(this);
      return;
    }
    this.schedule(Math.min(now + this.route.groupInterval, requested));
  }
}
