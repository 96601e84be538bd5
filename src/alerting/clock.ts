/**
 * Time as the alerting components see it. Everything time-based (group timers, `for`, flap sampling,
 * leases) reads and schedules through a Clock, so tests drive a `ManualClock` instead of waiting.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fn` once after `ms`; the handle cancels it. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

export interface TimerHandle {
  cancel(): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, Math.max(0, ms));
    // Alerting timers must never keep a process alive that is otherwise done (shutdown, CLI checks).
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

interface Scheduled {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told. `advance(ms)` runs due timers in time order (a timer scheduled by
 * a timer runs too when it falls in the window) and lets the promises they start settle in between.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers: Scheduled[] = [];

  constructor(start = Date.parse('2026-01-05T10:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Scheduled = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const until = this.current + ms;
    await settle();
    for (;;) {
      const next = this.nextDue(until);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      next.cancelled = true;
      next.fn();
      await settle();
    }
    this.current = until;
    await settle();
  }

  /** How many timers are waiting (for assertions that nothing is left scheduled). */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private nextDue(until: number): Scheduled | undefined {
    let best: Scheduled | undefined;
    for (const t of this.timers) {
      if (t.cancelled || t.at > until) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    for (let i = this.timers.length - 1; i >= 0; i--) if (this.timers[i]?.cancelled) this.timers.splice(i, 1);
    return best;
  }
}

/** Lets pending promise chains (I/O-free ones) run to completion. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
