import type { OffsetSample } from './offset-sample.ts';

/** `offset(b) - offset(a)` around a time, and a bound on its error (ms). */
export interface OffsetEstimate {
  delta: number;
  error: number;
  /** Drift of the difference, ms per ms. */
  slope: number;
}

export interface PairEstimatorOptions {
  /** Samples older than this (behind the newest) no longer shape the estimate. */
  windowMs: number;
  /** Samples a step needs before it is believed (fewer are outliers). */
  stepConfirmations: number;
  /** Slack before a sample counts as inconsistent with the current estimate. */
  toleranceMs: number;
}

interface Sample {
  t: number;
  lo: number;
  hi: number;
}

interface Segment {
  /** Start of the segment (after an NTP step), host a's clock, ms. */
  from: number;
  /** One merged sample per time bucket, oldest first, within the window. */
  samples: Sample[];
  model: { alpha: number; beta: number; tRef: number; error: number } | null;
  /** Samples added since the model was fitted. */
  unfitted: number;
}

/**
 * Samples in the same 250 ms are merged (tightest bounds): drift over 250 ms is negligible (25 us at
 * 100 ppm), and a busy pair of hosts then costs ~240 buckets per minute whatever its RPC rate.
 */
const BUCKET_MS = 250;
const MAX_SAMPLES = 1024;
/** A model fitted before this many new samples is still good enough to judge the next sample. */
const REFIT_EVERY = 16;
const MAX_SEGMENTS = 8;
const MAX_SLOPE = 1e-3;
/** How fast the error bound widens away from the samples: an unmodelled drift of 20 ppm. */
const DRIFT_UNCERTAINTY = 2e-5;
const MIN_DRIFT_SPAN_MS = 5_000;

/**
 * Online estimate of the clock offset between two hosts from interval samples. Within a segment the
 * difference is modelled as linear in time (drift); its slope comes from a least-squares fit of the
 * interval midpoints, its level from the intersection of all intervals at that slope, whose half-width
 * is the error bound. Samples that contradict the estimate are suspects: a few consistent suspects in a
 * row are an NTP step (a new segment starts), a lone one is an outlier and is dropped.
 */
export class PairOffsetEstimator {
  private readonly segments: Segment[] = [];
  private suspects: Sample[] = [];
  steps = 0;
  outliers = 0;

  constructor(private readonly options: PairEstimatorOptions) {}

  /** Adds a sample oriented as `offset(b) - offset(a)`; says what became of it. */
  add(sample: Pick<OffsetSample, 't' | 'lo' | 'hi'>): 'used' | 'suspect' | 'step' {
    const s: Sample = { t: sample.t, lo: sample.lo ?? -Infinity, hi: sample.hi ?? Infinity };
    let current = this.segments[this.segments.length - 1];
    if (!current) {
      this.segments.push({ from: s.t, samples: [], model: null, unfitted: 0 });
      this.push(this.segments[0] as Segment, s);
      return 'used';
    }
    if (s.t < current.from) {
      // Late data from before the last step belongs to the segment it happened in.
      this.push(this.segmentAt(s.t), s);
      return 'used';
    }
    const estimate = this.estimateIn(current, s.t, REFIT_EVERY);
    if (estimate === null || this.consistent(s, estimate)) {
      this.suspects = [];
      this.push(current, s);
      return 'used';
    }
    this.suspects = this.suspects.filter((x) => s.t - x.t <= this.options.windowMs / 4);
    this.suspects.push(s);
    if (this.suspects.length < this.options.stepConfirmations || !intersecting(this.suspects)) {
      this.outliers += 1;
      return 'suspect';
    }
    const suspects = this.suspects;
    this.suspects = [];
    this.steps += 1;
    current = { from: suspects[0]?.t ?? s.t, samples: [], model: null, unfitted: 0 };
    for (const suspect of suspects) this.push(current, suspect);
    this.segments.push(current);
    if (this.segments.length > MAX_SEGMENTS) this.segments.shift();
    return 'step';
  }

  /** The estimate at time `t` (host a's clock, ms), from the segment `t` falls in; null without samples. */
  at(t: number): OffsetEstimate | null {
    if (this.segments.length === 0) return null;
    return this.estimateIn(this.segmentAt(t), t, 1);
  }

  /** When the last NTP step happened (host a's clock, ms); -Infinity when none was seen. */
  get lastStepAt(): number {
    return this.segments.length > 1 ? (this.segments[this.segments.length - 1] as Segment).from : -Infinity;
  }

  private segmentAt(t: number): Segment {
    for (let i = this.segments.length - 1; i > 0; i--) {
      const segment = this.segments[i] as Segment;
      if (segment.from <= t) return segment;
    }
    return this.segments[0] as Segment;
  }

  private consistent(s: Sample, e: OffsetEstimate): boolean {
    const slack = e.error + this.options.toleranceMs;
    return s.lo <= e.delta + slack && s.hi >= e.delta - slack;
  }

  private push(segment: Segment, s: Sample): void {
    const samples = segment.samples;
    const bucket = Math.floor(s.t / BUCKET_MS);
    const last = samples[samples.length - 1];
    if (last && Math.floor(last.t / BUCKET_MS) === bucket) {
      last.lo = Math.max(last.lo, s.lo);
      last.hi = Math.min(last.hi, s.hi);
    } else {
      samples.push({ t: (bucket + 0.5) * BUCKET_MS, lo: s.lo, hi: s.hi });
      if (last && last.t > s.t) samples.sort((x, y) => x.t - y.t);
    }
    const newest = samples[samples.length - 1]?.t ?? s.t;
    let drop = 0;
    while (drop < samples.length - 1 && newest - (samples[drop] as Sample).t > this.options.windowMs) drop++;
    drop = Math.max(drop, samples.length - MAX_SAMPLES);
    if (drop > 0) samples.splice(0, drop);
    segment.unfitted += 1;
  }

  private estimateIn(segment: Segment, t: number, refitAfter: number): OffsetEstimate | null {
    if (segment.model === null ? segment.unfitted > 0 : segment.unfitted >= refitAfter) {
      segment.model = fit(segment.samples);
      segment.unfitted = 0;
    }
    const model = segment.model;
    if (!model) return null;
    const dt = t - model.tRef;
    return {
      delta: model.alpha + model.beta * dt,
      error: model.error + DRIFT_UNCERTAINTY * Math.abs(dt),
      slope: model.beta,
    };
  }
}

function intersecting(samples: readonly Sample[]): boolean {
  let lo = -Infinity;
  let hi = Infinity;
  for (const s of samples) {
    lo = Math.max(lo, s.lo);
    hi = Math.min(hi, s.hi);
  }
  return lo <= hi;
}

/** Slope from the midpoints of two-sided samples, level from the intervals' intersection at that slope. */
function fit(all: readonly Sample[]): Segment['model'] {
  if (all.length === 0) return null;
  const samples = all;
  const tRef = (samples[samples.length - 1] as Sample).t;
  const beta = slopeOf(samples, tRef);
  let lo = -Infinity;
  let hi = Infinity;
  for (const s of samples) {
    const shift = beta * (s.t - tRef);
    lo = Math.max(lo, s.lo - shift);
    hi = Math.min(hi, s.hi - shift);
  }
  if (!Number.isFinite(lo) && !Number.isFinite(hi)) return null;
  if (!Number.isFinite(lo)) return { alpha: hi, beta, tRef, error: Infinity };
  if (!Number.isFinite(hi)) return { alpha: lo, beta, tRef, error: Infinity };
  // Crossed bounds mean the linear model is a little off; the middle is still the best guess.
  return { alpha: (lo + hi) / 2, beta, tRef, error: Math.abs(hi - lo) / 2 };
}

function slopeOf(samples: readonly Sample[], tRef: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const s of samples) {
    if (!Number.isFinite(s.lo) || !Number.isFinite(s.hi)) continue;
    const x = s.t - tRef;
    const y = (s.lo + s.hi) / 2;
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
    min = Math.min(min, s.t);
    max = Math.max(max, s.t);
  }
  if (n < 8 || max - min < MIN_DRIFT_SPAN_MS) return 0;
  const denominator = n * sxx - sx * sx;
  if (denominator === 0) return 0;
  const slope = (n * sxy - sx * sy) / denominator;
  return Math.max(-MAX_SLOPE, Math.min(MAX_SLOPE, slope));
}
