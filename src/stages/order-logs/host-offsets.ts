import type { OffsetSample } from './offset-sample.ts';
import { PairOffsetEstimator, type PairEstimatorOptions } from './pair-offset-estimator.ts';

/** A host's clock offset (ahead of the fleet's mean clock) at some time, with its error bound, in ms. */
export interface HostOffset {
  offsetMs: number;
  errorMs: number;
}

export interface HostOffsetView extends HostOffset {
  host: string;
  /** Other hosts it exchanges RPCs or messages with. */
  peers: number;
  /** NTP steps seen on its pairs. */
  steps: number;
}

interface Solution {
  /** Valid for event times at or after this (the latest step it knows of), ms. */
  validFrom: number;
  tRef: number;
  hosts: Map<string, { alpha: number; beta: number; error: number }>;
}

const MAX_SOLUTIONS = 8;
const ROBUST_ROUNDS = 4;
const ROBUST_SCALE_MS = 1;
/** At one solve per 100 ms: 0.5 ms per second, too slow to reorder anything. */
const GAUGE_DRAIN_MS_PER_SOLVE = 0.05;
const DRIFT_UNCERTAINTY = 2e-5;

/**
 * Every host's clock offset, from the pairwise estimates. Only differences are observable, so each set of
 * connected hosts is solved by weighted least squares with its mean offset at zero: the fleet's average
 * clock is taken as true time (NTP keeps it close), reached slowly (see keepGauge). A host's error bound
 * is that of its best pair. Hosts that exchange nothing with others get no offset (null): their time is
 * used as it is.
 *
 * Solving is cheap but not free, so it happens in `refresh`, at most once per `refreshMs`; `offsetAt`
 * reads the last solution (and older ones for times before a step).
 */
export class HostOffsets {
  private readonly pairs = new Map<string, { a: string; b: string; estimator: PairOffsetEstimator }>();
  private solutions: Solution[] = [];
  private dirty = false;
  private lastSolve = -Infinity;
  private newestSample = -Infinity;
  samples = 0;
  /** Common shift applied to the last solution (see keepGauge). */
  private gauge = 0;

  constructor(private readonly options: PairEstimatorOptions & { refreshMs: number }) {}

  add(sample: OffsetSample): void {
    if (sample.a === sample.b || !Number.isFinite(sample.t)) return;
    const [a, b, flip] = sample.a < sample.b ? [sample.a, sample.b, false] : [sample.b, sample.a, true];
    const id = `${a}\u0000${b}`;
    let pair = this.pairs.get(id);
    if (!pair) {
      pair = { a, b, estimator: new PairOffsetEstimator(this.options) };
      this.pairs.set(id, pair);
    }
    pair.estimator.add(
      flip
        ? {
            t: sample.t,
            lo: sample.hi === null ? null : -sample.hi,
            hi: sample.lo === null ? null : -sample.lo,
          }
        : sample,
    );
    this.samples += 1;
    this.newestSample = Math.max(this.newestSample, sample.t);
    this.dirty = true;
  }

  /** Re-solves when samples came in and `refreshMs` has passed (processing time). */
  refresh(nowMs: number, force = false): void {
    if (!this.dirty || (!force && nowMs - this.lastSolve < this.options.refreshMs)) return;
    this.lastSolve = nowMs;
    this.dirty = false;
    const solution = this.solve(this.newestSample);
    const previous = this.solutions[this.solutions.length - 1];
    if (previous && previous.validFrom === solution.validFrom)
      this.solutions[this.solutions.length - 1] = solution;
    else this.solutions.push(solution);
    if (this.solutions.length > MAX_SOLUTIONS) this.solutions.shift();
  }

  /** The offset of `host` at event time `t` (its own clock, Unix ms), or null when unknown. */
  offsetAt(host: string, t: number): HostOffset | null {
    const solutions = this.solutions;
    let solution: Solution | undefined;
    for (let i = solutions.length - 1; i >= 0; i--) {
      solution = solutions[i];
      if ((solution as Solution).validFrom <= t) break;
    }
    const h = solution?.hosts.get(host);
    if (!solution || !h) return null;
    const dt = t - solution.tRef;
    return { offsetMs: h.alpha + h.beta * dt, errorMs: h.error + DRIFT_UNCERTAINTY * Math.abs(dt) };
  }

  /** The current estimate of every host that has one. */
  view(): HostOffsetView[] {
    const solution = this.solutions[this.solutions.length - 1];
    if (!solution) return [];
    const peers = new Map<string, number>();
    const steps = new Map<string, number>();
    for (const { a, b, estimator } of this.pairs.values()) {
      for (const h of [a, b]) {
        peers.set(h, (peers.get(h) ?? 0) + 1);
        steps.set(h, (steps.get(h) ?? 0) + estimator.steps);
      }
    }
    return [...solution.hosts].map(([host, h]) => ({
      host,
      offsetMs: h.alpha,
      errorMs: h.error,
      peers: peers.get(host) ?? 0,
      steps: steps.get(host) ?? 0,
    }));
  }

  private solve(tRef: number): Solution {
    const edges: { a: string; b: string; delta: number; slope: number; weight: number; error: number }[] = [];
    const oneSided: typeof edges = [];
    let validFrom = -Infinity;
    for (const { a, b, estimator } of this.pairs.values()) {
      const estimate = estimator.at(tRef);
      if (!estimate) continue;
      if (!Number.isFinite(estimate.error)) {
        oneSided.push({ a, b, delta: estimate.delta, slope: 0, weight: 0, error: Infinity });
        continue;
      }
      validFrom = Math.max(validFrom, estimator.lastStepAt);
      const weight = 1 / (estimate.error * estimate.error + 0.01);
      edges.push({ a, b, delta: estimate.delta, slope: estimate.slope, weight, error: estimate.error });
    }
    const hosts = new Map<string, { alpha: number; beta: number; error: number }>();
    const previous = this.solutions[this.solutions.length - 1]?.hosts;
    const adjacency = new Map<string, typeof edges>();
    for (const edge of edges) {
      for (const h of [edge.a, edge.b]) {
        if (!adjacency.has(h)) adjacency.set(h, []);
        adjacency.get(h)?.push(edge);
        const error = Math.min(hosts.get(h)?.error ?? Infinity, edge.error);
        // Warm start from the last solution: a few sweeps then suffice.
        hosts.set(h, { alpha: previous?.get(h)?.alpha ?? 0, beta: previous?.get(h)?.beta ?? 0, error });
      }
    }
    for (const component of components(adjacency)) {
      solveComponent(component, adjacency, hosts, 'beta');
      // Iteratively reweighted: a pair that disagrees with the rest by far more than its bound (one that
      // has not seen a step yet, or bad data) counts less, so one host's step does not leak to its peers.
      const weights = new Map(edges.map((e) => [e, e.weight]));
      for (let round = 0; round < ROBUST_ROUNDS; round++) {
        solveComponent(component, adjacency, hosts, 'alpha');
        for (const h of component) {
          for (const edge of adjacency.get(h) ?? []) {
            if (edge.a !== h) continue;
            const residual = (hosts.get(edge.b)?.alpha ?? 0) - (hosts.get(edge.a)?.alpha ?? 0) - edge.delta;
            const scale = ROBUST_SCALE_MS + edge.error;
            edge.weight = (weights.get(edge) ?? 0) / (1 + (residual / scale) ** 2);
          }
        }
      }
    }
    this.keepGauge(hosts, previous);
    placeByBounds(hosts, oneSided);
    return { validFrom, tRef, hosts };
  }

  /**
   * Each solve sets the mean of a connected set to zero, so a host joining moves everyone's offset a
   * little: a common shift that would break the order between events keyed before and after it. So the
   * solution is shifted to keep the hosts already known where they were (the median host), and the shift then
   * drains away slowly (`GAUGE_DRAIN_MS_PER_SOLVE`), all hosts together.
   */
  private keepGauge(
    hosts: Map<string, { alpha: number; beta: number; error: number }>,
    previous: Map<string, { alpha: number }> | undefined,
  ): void {
    const moves: number[] = [];
    if (previous) {
      for (const [h, now] of hosts) {
        const before = previous.get(h);
        if (before) moves.push(before.alpha - now.alpha);
      }
    }
    // The median: when one host steps, the others stay where they were and it alone moves.
    moves.sort((a, b) => a - b);
    const target = moves.length > 0 ? (moves[moves.length >> 1] as number) : 0;
    const drain = Math.min(Math.abs(target), GAUGE_DRAIN_MS_PER_SOLVE);
    this.gauge = target - Math.sign(target) * drain;
    for (const h of hosts.values()) h.alpha += this.gauge;
  }
}

function placeByBounds(
  hosts: Map<string, { alpha: number; beta: number; error: number }>,
  oneSided: readonly { a: string; b: string; delta: number }[],
): void {
  for (let pass = 0, changed = true; pass < 4 && changed; pass++) {
    changed = false;
    for (const { a, b, delta } of oneSided) {
      const ha = hosts.get(a);
      const hb = hosts.get(b);
      if (ha && !hb) hosts.set(b, { alpha: ha.alpha + delta, beta: ha.beta, error: Infinity });
      else if (hb && !ha) hosts.set(a, { alpha: hb.alpha - delta, beta: hb.beta, error: Infinity });
      else continue;
      changed = true;
    }
  }
}

function components(adjacency: Map<string, { a: string; b: string }[]>): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const start of adjacency.keys()) {
    if (seen.has(start)) continue;
    const component: string[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const h = stack.pop() as string;
      component.push(h);
      for (const edge of adjacency.get(h) ?? []) {
        const other = edge.a === h ? edge.b : edge.a;
        if (!seen.has(other)) {
          seen.add(other);
          stack.push(other);
        }
      }
    }
    out.push(component.sort());
  }
  return out;
}

/** Gauss-Seidel on the weighted least-squares normal equations, then the component's mean set to zero. */
function solveComponent(
  component: readonly string[],
  adjacency: Map<string, { a: string; b: string; delta: number; slope: number; weight: number }[]>,
  hosts: Map<string, { alpha: number; beta: number; error: number }>,
  field: 'alpha' | 'beta',
): void {
  const value = (h: string): number => (hosts.get(h) as { alpha: number; beta: number })[field];
  for (let iteration = 0; iteration < 200; iteration++) {
    let change = 0;
    for (const h of component) {
      let sum = 0;
      let weights = 0;
      for (const edge of adjacency.get(h) ?? []) {
        const d = field === 'alpha' ? edge.delta : edge.slope;
        // offset(b) - offset(a) = d
        sum += edge.weight * (edge.a === h ? value(edge.b) - d : value(edge.a) + d);
        weights += edge.weight;
      }
      const next = sum / weights;
      change = Math.max(change, Math.abs(next - value(h)));
      (hosts.get(h) as { alpha: number; beta: number })[field] = next;
    }
    if (change < (field === 'alpha' ? 1e-4 : 1e-9)) break;
  }
  const mean = component.reduce((s, h) => s + value(h), 0) / component.length;
  for (const h of component) (hosts.get(h) as { alpha: number; beta: number })[field] = value(h) - mean;
}
