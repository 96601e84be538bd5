import { trace } from '@opentelemetry/api';
import type { ParseResult, TributaryEvent } from '../core/event.ts';
import type { PipelineMetrics } from '../core/counters.ts';
import type { DeadLetterStore } from '../store/event-store.ts';
import type { EventQueue } from './event-queue.ts';

export interface IntakeOutcome {
  accepted: number;
  rejected: number;
}

/**
 * Where every source hands what it parsed: rejections are counted by source and reason and kept as dead
 * letters, the events go to the queue. Resolves when both are durable; rejects when the queue refuses
 * (full or closed), so the caller can answer 503 or retry.
 */
export class Intake {
  private readonly tracer = trace.getTracer('tributary.intake');

  constructor(
    private readonly queue: EventQueue,
    private readonly deadLetters: DeadLetterStore,
    private readonly metrics: PipelineMetrics,
    /** Applied to every accepted batch before it is queued (e.g. service identity resolution). */
    private readonly transform: (events: TributaryEvent[]) => TributaryEvent[] = (events) => events,
    /** True when `submit` resolves after storage (embedded); false when after a durable queue (Kafka). */
    readonly storesBeforeAnswer = true,
  ) {}

  async submit(source: string, result: ParseResult<TributaryEvent>): Promise<IntakeOutcome> {
    return this.tracer.startActiveSpan('intake.submit', async (span) => {
      span.setAttributes({
        'tributary.source': source,
        'tributary.events': result.events.length,
        'tributary.rejections': result.rejections.length,
      });
      const counters = this.metrics.forComponent(source);
      counters.received(result.events.length + result.rejections.length);
      try {
        if (result.rejections.length > 0) {
          await this.deadLetters.keep(result.rejections);
          for (const r of result.rejections) counters.rejected(r.reason);
        }
        await this.queue.offer(this.transform(result.events));
        counters.sent(result.events.length);
        return { accepted: result.events.length, rejected: result.rejections.length };
      } catch (err) {
        counters.error();
        span.recordException(err as Error);
        throw err;
      } finally {
        span.end();
      }
    });
  }
}
