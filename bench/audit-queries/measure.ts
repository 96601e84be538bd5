import { seededRandom } from '../../src/simulate/random.ts';

/** One kind of query, with fresh parameters on every run. */
export interface QueryCase {
  name: string;
  /** `store` (the EventStore / AuditLog interface), `http` (the real API), `baseline` (raw backend). */
  via: 'store' | 'http' | 'baseline';
  /**
   * Draws the parameters of one run and does any untimed setup (e.g. reading the pages before the one
   * measured); returns the timed call, which resolves to the number of items it got back.
   */
  prepare(random: () => number): Promise<() => Promise<number>>;
  /** Fewer runs for heavy operations (verify walks the whole trail). */
  runs?: number;
}

export interface Measurement {
  query: string;
  store: string;
  via: QueryCase['via'];
  n: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Mean items returned per run: what the query selects. */
  meanItems: number;
  note: string;
}

export interface MeasureOptions {
  runs: number;
  warmup: number;
  /** A case stops early once its timed runs have taken this long (`n` says how many ran). */
  budgetMs: number;
  seed: number;
}

/** Nearest-rank percentile. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Runs `warmup` untimed runs, then up to `runs` timed ones, one at a time. */
export async function measure(c: QueryCase, store: string, options: MeasureOptions): Promise<Measurement> {
  // Each case draws its own parameters: a case never runs on pages the previous case just read.
  const random = seededRandom(options.seed * 31 + hashOf(`${c.via}:${c.name}`));
  const runs = c.runs ?? options.runs;
  const warmup = Math.min(options.warmup, Math.max(1, Math.floor(runs / 10)));
  const times: number[] = [];
  let items = 0;
  let note = '';
  let spent = 0;
  try {
    for (let i = 0; i < warmup; i++) await (await c.prepare(random))();
    while (times.length < runs && spent < options.budgetMs) {
      const call = await c.prepare(random);
      const t0 = performance.now();
      items += await call();
      const ms = performance.now() - t0;
      times.push(ms);
      spent += ms;
    }
    if (times.length < runs) note = `stopped at the ${options.budgetMs / 1000} s budget`;
  } catch (err) {
    note = `failed: ${(err as Error).message.slice(0, 160)}`;
  }
  times.sort((a, b) => a - b);
  return {
    query: c.name,
    store,
    via: c.via,
    n: times.length,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    maxMs: times[times.length - 1] ?? NaN,
    meanItems: times.length ? items / times.length : NaN,
    note,
  };
}

function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
