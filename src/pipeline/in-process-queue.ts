import type { TributaryEvent } from '../core/event.ts';
import { once, withDeadline, type Component } from '../core/lifecycle.ts';
import { QueueClosed, QueueFull, type EventQueue } from './event-queue.ts';

/** What the queue hands batches to: the stage chain ending in the store. Resolves when stored. */
export type BatchConsumer = (events: readonly TributaryEvent[]) => Promise<void>;

interface Pending {
  events: readonly TributaryEvent[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The embedded queue: bounded by event count, one consumer loop that coalesces waiting batches into
 * store-sized transactions. Shutdown stops intake, then drains everything already accepted.
 */
export class InProcessQueue implements EventQueue, Component {
  readonly name = 'queue';
  private readonly waiting: Pending[] = [];
  private queued = 0;
  private closed = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly consume: BatchConsumer,
    private readonly options: { capacity: number; batchSize: number },
  ) {}

  async start(): Promise<void> {}

  offer(batch: readonly TributaryEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(new QueueClosed('shutting down: not accepting new events'));
    if (batch.length === 0) return Promise.resolve();
    if (this.queued + batch.length > this.options.capacity && this.queued > 0) {
      return Promise.reject(
        new QueueFull(
          `${this.queued} events are waiting to be stored (capacity ${this.options.capacity}); retry later`,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ events: batch, resolve, reject });
      this.queued += batch.length;
      this.running ??= this.drain();
    });
  }

  /** Events accepted but not yet stored. */
  get depth(): number {
    return this.queued;
  }

  private async drain(): Promise<void> {
    // `running` is cleared in the same synchronous step as the loop's last emptiness check: an offer made
    // in between (e.g. right when the previous one resolved) would otherwise wait on a finished drain.
    try {
      while (this.waiting.length > 0) {
        const taken: Pending[] = [];
        let size = 0;
        while (
          this.waiting.length > 0 &&
          (taken.length === 0 || size + (this.waiting[0]?.events.length ?? 0) <= this.options.batchSize)
        ) {
          const next = this.waiting.shift() as Pending;
          taken.push(next);
          size += next.events.length;
        }
        const events = taken.length === 1 ? (taken[0] as Pending).events : taken.flatMap((p) => p.events);
        try {
          await this.consume(events);
          for (const p of taken) p.resolve();
        } catch (err) {
          for (const p of taken) p.reject(err);
        } finally {
          this.queued -= size;
        }
      }
    } finally {
      this.running = null;
    }
  }

  /** Stops intake, then waits for everything accepted to be stored, but not past `deadline`. */
  async shutdown(deadline: number): Promise<void> {
    await withDeadline(this.stopOnce(), deadline, 'queue drain');
  }

  private readonly stopOnce = once(async () => {
    this.closed = true;
    while (this.running) await this.running;
  });
}
