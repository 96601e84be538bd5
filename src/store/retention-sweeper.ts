import type { Logger } from 'pino';
import { instantFromUnixMillis } from '../core/time.ts';
import type { Component } from '../core/lifecycle.ts';
import type { Retention } from './event-store.ts';

/** Deletes events older than the retention period, at start and then every `interval`. */
export class RetentionSweeper implements Component {
  readonly name = 'retention';
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly target: Retention,
    private readonly options: { retentionMs: number; intervalMs: number },
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.options.intervalMs);
    this.timer.unref();
  }

  sweep(): Promise<void> {
    this.sweeping ??= (async () => {
      try {
        const cutoff = instantFromUnixMillis(Date.now() - this.options.retentionMs) as string;
        const deleted = await this.target.deleteOlderThan(cutoff);
        if (deleted > 0) this.logger.info({ deleted, cutoff }, 'retention: deleted old events');
      } catch (err) {
        this.logger.error({ err }, 'retention sweep failed');
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.sweeping) await this.sweeping;
  }
}
