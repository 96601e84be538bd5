import type { MetricEvent, ParseResult } from '../../core/event.ts';
import { withDeadline, type Component } from '../../core/lifecycle.ts';
import { nowInstant } from '../../core/time.ts';
import type { CadvisorConfig, IdentityRules } from './config.ts';
import { fetchMetricsText, metricsUrl, type FetchFailureReason } from './fetch-metrics.ts';
import { buildMetricEvent } from './metric-event.ts';
import { hostOfTarget, parseCadvisorMetrics } from './parse-metrics.ts';

/** Receives the events (and rejected lines) of one target's scrape. May apply backpressure by awaiting. */
export type MetricsConsumer = (result: ParseResult<MetricEvent>) => Promise<void>;

export interface ScrapeFailure {
  target: string;
  url: string;
  /** `consumer`: the scrape worked but the consumer rejected its result. */
  reason: FetchFailureReason | 'consumer' | 'invalid_target';
  message: string;
  status?: number;
}

export interface ScraperStats {
  scrapes: number;
  failures: number;
  /** Ticks skipped because the previous round was still running. */
  skipped: number;
}

export interface CadvisorScraperOptions {
  config: Pick<CadvisorConfig, 'targets' | 'interval' | 'timeout' | 'host' | 'maxBodyBytes'> & IdentityRules;
  consume: MetricsConsumer;
  /** Told about every failed scrape (also counted in `stats()`); never thrown. */
  onError?: (failure: ScrapeFailure) => void;
}

/** Open requests are aborted this long before the shutdown deadline, leaving time to consume the result. */
const ABORT_MARGIN_MS = 100;

/**
 * Pulls each target's /metrics every `interval`, parses it, and hands the result to the consumer, adding
 * Prometheus' synthetic `up` sample (1 scraped, 0 failed) per target so a dead cAdvisor is itself a signal.
 * Rounds never overlap: a tick that finds the previous round running is skipped and counted.
 */
export class CadvisorScraper implements Component {
  readonly name = 'cadvisor-scraper';
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private shuttingDown: Promise<void> | null = null;
  private readonly shutdownSignal = new AbortController();
  private readonly counts: ScraperStats = { scrapes: 0, failures: 0, skipped: 0 };

  constructor(private readonly options: CadvisorScraperOptions) {}

  start(): Promise<void> {
    if (this.stopped || this.timer) return Promise.resolve();
    this.timer = setInterval(() => this.tick(), this.options.config.interval);
    this.tick();
    return Promise.resolve();
  }

  /**
   * Stops the timer and waits for the round in flight to be consumed. Requests still open shortly before
   * `deadline` are aborted (reported as `aborted`), so the round can finish in time; if the consumer is
   * still busy at `deadline`, rejects with `DeadlineExceeded`.
   */
  shutdown(deadline: number): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    return (this.shuttingDown ??= this.drain(deadline));
  }

  private async drain(deadline: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    const abortIn = Math.max(0, deadline - Date.now() - ABORT_MARGIN_MS);
    const abortTimer = setTimeout(() => this.shutdownSignal.abort(), abortIn);
    try {
      await withDeadline(Promise.all(this.inFlight), deadline, 'cadvisor scrape');
    } finally {
      clearTimeout(abortTimer);
    }
  }

  stats(): ScraperStats {
    return { ...this.counts };
  }

  /** Scrapes every target once, now. Resolves when every result has been consumed; never rejects. */
  scrapeOnce(): Promise<void> {
    const round = Promise.all(this.options.config.targets.map((target) => this.scrapeTarget(target))).then(
      () => undefined,
    );
    this.inFlight.add(round);
    return round.finally(() => this.inFlight.delete(round));
  }

  private tick(): void {
    if (this.stopped) return;
    if (this.inFlight.size > 0) {
      this.counts.skipped++;
      return;
    }
    // scrapeTarget never rejects: every failure is reported through onError.
    void this.scrapeOnce();
  }

  private async scrapeTarget(target: string): Promise<void> {
    const { config } = this.options;
    let url: URL;
    try {
      url = new URL(metricsUrl(target));
    } catch {
      this.fail({
        target,
        url: target,
        reason: 'invalid_target',
        message: `${target} is not an http(s) URL`,
      });
      return;
    }
    const scrapedAt = nowInstant();
    const started = performance.now();
    const signal = AbortSignal.any([AbortSignal.timeout(config.timeout), this.shutdownSignal.signal]);
    const outcome = await fetchMetricsText(url.href, signal, config.maxBodyBytes);
    this.counts.scrapes++;
    const host = config.host ?? hostOfTarget(target);
    const result: ParseResult<MetricEvent> = outcome.ok
      ? parseCadvisorMetrics(outcome.text, { scrapedAt, host, identity: config })
      : { events: [], rejections: [] };
    const seconds = (performance.now() - started) / 1000;
    result.events.push(...scrapeHealth(url.host, host, scrapedAt, outcome.ok, seconds));
    if (!outcome.ok) {
      const { ok: _ok, ...failure } = outcome;
      this.fail({ target, url: url.href, ...failure, message: `${url.href}: ${outcome.message}` });
    }
    try {
      await this.options.consume(result);
    } catch (error) {
      this.fail({
        target,
        url: url.href,
        reason: 'consumer',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private fail(failure: ScrapeFailure): void {
    this.counts.failures++;
    try {
      this.options.onError?.(failure);
    } catch {
      // A throwing error callback must not stop the scraper.
    }
  }
}

export function createCadvisorScraper(options: CadvisorScraperOptions): CadvisorScraper {
  return new CadvisorScraper(options);
}

/** Prometheus' synthetic series for a scrape: `up` and `scrape_duration_seconds`, labelled job/instance. */
function scrapeHealth(
  instance: string,
  host: string | null,
  scrapedAt: string,
  up: boolean,
  seconds: number,
) {
  const labels = { job: 'cadvisor', instance };
  const common = { labels, service: null, container: null, host, time: scrapedAt, timestamp: null };
  return [
    buildMetricEvent({ ...common, name: 'up', value: up ? 1 : 0, metricType: 'gauge' }),
    buildMetricEvent({ ...common, name: 'scrape_duration_seconds', value: seconds, metricType: 'gauge' }),
  ];
}
