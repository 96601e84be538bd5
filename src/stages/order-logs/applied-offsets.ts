import type { HostOffset, HostOffsets } from './host-offsets.ts';

/** Slowest the applied offset may move per ms of event time when the estimate changes a little. */
const MAX_SLOPE = 0.01;
/** A change larger than this is taken as an NTP step and applied at once. */
const STEP_MS = 5;
const ANCHORS_KEPT = 4_096;

interface Anchor {
  t: number;
  offsetMs: number;
  errorMs: number;
}

/**
 * The offsets actually subtracted from event times. Estimates keep improving, but two events of one host
 * must never trade places because one was keyed before an update and the other after, and an event must
 * get the same offset whenever it is keyed. So, per host, the applied offset is a function of event time
 * that is only ever extended forward: each time a later event is keyed, an anchor (time, offset) is added,
 * moving toward the current estimate by at most 1% of the time elapsed (corrected time keeps advancing with
 * the clock) - or all at once for a change beyond 5 ms: an NTP step, or the first estimate of a host
 * (before it, its events kept their own time). Earlier times interpolate between anchors.
 */
export class AppliedOffsets {
  private readonly hosts = new Map<string, Anchor[]>();

  constructor(private readonly estimates: HostOffsets) {}

  at(host: string, tMs: number): HostOffset | null {
    const anchors = this.hosts.get(host);
    const last = anchors?.[anchors.length - 1];
    if (anchors && last && tMs <= last.t) return interpolate(anchors, tMs);
    // Without an estimate the offset is 0, but recorded all the same: an event of this host keyed later
    // at an earlier time must get what this one got.
    const estimate = this.estimates.offsetAt(host, tMs) ?? {
      offsetMs: last?.offsetMs ?? 0,
      errorMs: Infinity,
    };
    let offsetMs = estimate.offsetMs;
    if (last && Math.abs(offsetMs - last.offsetMs) <= STEP_MS) {
      const allowed = MAX_SLOPE * (tMs - last.t);
      offsetMs = Math.min(last.offsetMs + allowed, Math.max(last.offsetMs - allowed, offsetMs));
    }
    const anchor = { t: tMs, offsetMs, errorMs: estimate.errorMs };
    if (anchors) {
      // A step is a jump: hold the old offset up to just before, then the new one.
      if (last && Math.abs(offsetMs - last.offsetMs) > STEP_MS) anchors.push({ ...last, t: tMs - 1e-6 });
      anchors.push(anchor);
      if (anchors.length > ANCHORS_KEPT) anchors.splice(0, anchors.length - ANCHORS_KEPT * 0.9);
    } else this.hosts.set(host, [anchor]);
    return Number.isFinite(estimate.errorMs) || offsetMs !== 0
      ? { offsetMs, errorMs: estimate.errorMs }
      : null;
  }
}

function interpolate(anchors: readonly Anchor[], t: number): HostOffset {
  let lo = 0;
  let hi = anchors.length - 1;
  const first = anchors[0] as Anchor;
  if (t <= first.t) return { offsetMs: first.offsetMs, errorMs: first.errorMs };
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((anchors[mid] as Anchor).t <= t) lo = mid;
    else hi = mid;
  }
  const a = anchors[lo] as Anchor;
  const b = anchors[hi] as Anchor;
  const f = b.t === a.t ? 1 : (t - a.t) / (b.t - a.t);
  return { offsetMs: a.offsetMs + (b.offsetMs - a.offsetMs) * f, errorMs: Math.max(a.errorMs, b.errorMs) };
}
