import type { SeriesRefInput } from '../../alerting/rules-schema.ts';

const MAX_SAMPLES = 1000;

/**
 * Samples of one series within a window, and the functions rules apply to them: the last value, the
 * per-second rate and the increase of a counter (resets handled as Prometheus does: a drop starts over
 * from zero), and the number of value changes.
 */
export class SeriesWindow {
  private readonly samples: { t: number; v: number }[] = [];

  constructor(private readonly windowMs: number) {}

  add(t: number, v: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && t < last.t) return; // out of order: the window only moves forward
    this.samples.push({ t, v });
    const oldest = t - this.windowMs;
    while (
      this.samples.length > 2 &&
      ((this.samples[1]?.t ?? t) <= oldest || this.samples.length > MAX_SAMPLES)
    )
      this.samples.shift();
  }

  apply(fn: SeriesRefInput['function']): number | null {
    const last = this.samples[this.samples.length - 1];
    if (!last) return null;
    if (fn === 'value') return last.v;
    if (fn === 'changes') {
      let n = 0;
      for (let i = 1; i < this.samples.length; i++) if (this.samples[i]?.v !== this.samples[i - 1]?.v) n++;
      return n;
    }
    if (this.samples.length < 2) return null;
    let increase = 0;
    for (let i = 1; i < this.samples.length; i++) {
      const prev = this.samples[i - 1]?.v ?? 0;
      const cur = this.samples[i]?.v ?? 0;
      increase += cur >= prev ? cur - prev : cur;
    }
    if (fn === 'increase') return increase;
    const seconds = (last.t - (this.samples[0]?.t ?? last.t)) / 1000;
    return seconds > 0 ? increase / seconds : null;
  }
}
