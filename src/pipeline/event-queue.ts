import type { TributaryEvent } from '../core/event.ts';

/**
 * Carries accepted events from sources to the stages and the store.
 * Contract: `offer` resolves only once the batch is durably stored (so a 2xx answered after it means the
 * events survive a crash); it rejects with `QueueFull` when accepting would exceed the capacity
 * (backpressure: callers answer 503 / pause consuming) and with `QueueClosed` once shutdown began.
 */
export interface EventQueue {
  offer(batch: readonly TributaryEvent[]): Promise<void>;
}

export class QueueFull extends Error {
  override readonly name = 'QueueFull';
}

export class QueueClosed extends Error {
  override readonly name = 'QueueClosed';
}
