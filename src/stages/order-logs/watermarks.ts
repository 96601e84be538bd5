/**
 * Event-time watermarks per stream (an emitter such as a log file, or a host's span exporter), on the
 * offset-corrected time axis, in ms. A stream's watermark is its furthest event minus its lateness: the
 * disorder it showed recently (a decaying maximum, within [minLatenessMs, maxLatenessMs]). The release
 * watermark is the lowest watermark among the streams that count:
 * - a stream silent for longer than its idle timeout (twice its recent longest silence, within
 *   [idleMinMs, idleMaxMs]) is idle and does not hold the others back;
 * - a stream whose watermark is more than `maxStreamLagMs` behind the most advanced one is lagging (a
 *   broken clock, a replay) and is left out too: its events come out late, flagged, rather than stall all.
 * The release watermark never moves back.
 */
export interface WatermarkOptions {
  minLatenessMs: number;
  maxLatenessMs: number;
  latenessHalfLifeMs: number;
  idleMinMs: number;
  idleMaxMs: number;
  maxStreamLagMs: number;
  /** A stream silent this long is forgotten. */
  forgetAfterMs: number;
}

interface Stream {
  maxTime: number;
  lateness: number;
  latenessAt: number;
  lastArrival: number;
  longestGap: number;
  gapAt: number;
}

export interface StreamView {
  stream: string;
  watermark: number;
  latenessMs: number;
  idle: boolean;
  lagging: boolean;
}

export class Watermarks {
  private readonly streams = new Map<string, Stream>();
  private released = -Infinity;
  private furthest = -Infinity;

  constructor(private readonly options: WatermarkOptions) {}

  /**
   * Notes an event of `stream` at corrected time `timeMs`, arriving at `nowMs` (processing time).
   * Returns true when the release watermark had already passed it (it arrived late).
   */
  observe(stream: string, timeMs: number, nowMs: number): boolean {
    const o = this.options;
    let s = this.streams.get(stream);
    if (!s) {
      s = {
        maxTime: timeMs,
        lateness: o.minLatenessMs,
        latenessAt: nowMs,
        lastArrival: nowMs,
        longestGap: 0,
        gapAt: nowMs,
      };
      this.streams.set(stream, s);
    }
    const gap = nowMs - s.lastArrival;
    s.longestGap = Math.max(gap, decay(s.longestGap, nowMs - s.gapAt, o.latenessHalfLifeMs));
    s.gapAt = nowMs;
    s.lastArrival = nowMs;
    if (timeMs > s.maxTime) s.maxTime = timeMs;
    else {
      const lag = s.maxTime - timeMs;
      const decayed = Math.max(
        o.minLatenessMs,
        decay(s.lateness, nowMs - s.latenessAt, o.latenessHalfLifeMs),
      );
      // Disorder beyond the cap is not learnt: those events are late, and learning them would stall all.
      s.lateness = lag <= o.maxLatenessMs ? Math.max(decayed, lag) : decayed;
      s.latenessAt = nowMs;
    }
    if (timeMs > this.furthest) this.furthest = timeMs;
    return timeMs < this.released;
  }

  /**
   * The release watermark at `nowMs`: events at or before it may be released. +Infinity when no stream
   * counts (everything idle: nothing else is coming soon).
   */
  release(nowMs: number): number {
    let lowest = Infinity;
    let highest = -Infinity;
    const counted: number[] = [];
    for (const [name, s] of this.streams) {
      const state = this.stateOf(s, nowMs);
      if (state.forgotten) {
        this.streams.delete(name);
        continue;
      }
      if (state.idle) continue;
      counted.push(state.watermark);
      if (state.watermark > highest) highest = state.watermark;
    }
    for (const w of counted) if (w >= highest - this.options.maxStreamLagMs && w < lowest) lowest = w;
    // Bookkeeping of what was released never goes past what was seen: an idle pause is not a jump ahead.
    const frontier = Math.min(lowest, this.furthest);
    if (frontier > this.released) this.released = frontier;
    return lowest === Infinity ? Infinity : this.released;
  }

  /** Moves the release watermark forward (the byte cap forcing it). */
  forceTo(timeMs: number): void {
    if (timeMs > this.released) this.released = timeMs;
  }

  get releasedUpTo(): number {
    return this.released;
  }

  view(nowMs: number): StreamView[] {
    const highest = Math.max(
      -Infinity,
      ...[...this.streams.values()]
        .map((s) => this.stateOf(s, nowMs))
        .filter((s) => !s.idle)
        .map((s) => s.watermark),
    );
    return [...this.streams].map(([stream, s]) => {
      const state = this.stateOf(s, nowMs);
      return {
        stream,
        watermark: state.watermark,
        latenessMs: s.lateness,
        idle: state.idle,
        lagging: !state.idle && state.watermark < highest - this.options.maxStreamLagMs,
      };
    });
  }

  get size(): number {
    return this.streams.size;
  }

  private stateOf(s: Stream, nowMs: number): { watermark: number; idle: boolean; forgotten: boolean } {
    const o = this.options;
    const silent = nowMs - s.lastArrival;
    const idleAfter = Math.min(o.idleMaxMs, Math.max(o.idleMinMs, 2 * s.longestGap));
    const lateness = Math.max(o.minLatenessMs, decay(s.lateness, nowMs - s.latenessAt, o.latenessHalfLifeMs));
    return { watermark: s.maxTime - lateness, idle: silent > idleAfter, forgotten: silent > o.forgetAfterMs };
  }
}

function decay(value: number, elapsedMs: number, halfLifeMs: number): number {
  return elapsedMs <= 0 ? value : value * 0.5 ** (elapsedMs / halfLifeMs);
}
