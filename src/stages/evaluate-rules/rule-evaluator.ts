import type { Alert } from '../../alerting/alert.ts';
import type { Clock, TimerHandle } from '../../alerting/clock.ts';
import { ConfigError } from '../../alerting/config-error.ts';
import type { RuleSet } from '../../alerting/load-rules.ts';
import type { Component } from '../../core/lifecycle.ts';
import type { TributaryEvent } from '../../core/event.ts';
import { compileRule } from './compile-rule.ts';
import type { RuleRunner } from './rule-runner.ts';

export interface RuleEvaluatorDeps {
  rules: RuleSet;
  clock: Clock;
  /** Where alerts go (the noise reducer's `receive`). Awaited: backpressure reaches the caller. */
  onAlerts: (alerts: Alert[]) => Promise<void>;
  /** How often time-driven rules (absent, log windows) are evaluated. */
  tickMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * Turns events into alerts with the rules of `rules/`: thresholds over cAdvisor metrics, absent
 * containers, log counts, Nagios HARD states, and Prometheus' own alerts. State is per process: in the
 * distributed mode an entity's events reach one consumer (Kafka keys by host), so its rules run there.
 */
export class RuleEvaluator implements Component {
  readonly name = 'evaluate-rules';
  private readonly runners: RuleRunner[];
  private ticker: TimerHandle | null = null;
  private stopped = false;

  constructor(private readonly deps: RuleEvaluatorDeps) {
    const problems: string[] = [];
    this.runners = [];
    for (const rule of deps.rules.rules) {
      try {
        this.runners.push(compileRule(rule));
      } catch (err) {
        problems.push(`${rule.origin}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (problems.length > 0)
      throw new ConfigError(`${problems.length} rule(s) cannot be compiled: ${problems[0]}`, problems);
  }

  /** Evaluates a batch of events (any kinds) and hands the resulting alerts on. */
  async consume(events: readonly TributaryEvent[]): Promise<void> {
    const alerts = this.evaluate(events);
    if (alerts.length > 0) await this.deps.onAlerts(alerts);
  }

  /** The same without handing on (tests, `rules check --input`). */
  evaluate(events: readonly TributaryEvent[]): Alert[] {
    const now = this.deps.clock.now();
    const out: Alert[] = [];
    for (const event of events) for (const runner of this.runners) out.push(...runner.onEvent(event, now));
    return out;
  }

  tick(): Alert[] {
    const now = this.deps.clock.now();
    return this.runners.flatMap((r) => r.tick(now));
  }

  async start(): Promise<void> {
    this.schedule();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.ticker?.cancel();
    this.ticker = null;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.ticker = this.deps.clock.setTimeout(() => {
      const alerts = this.tick();
      if (alerts.length > 0) this.deps.onAlerts(alerts).catch((err: unknown) => this.deps.onError?.(err));
      this.schedule();
    }, this.deps.tickMs ?? 15_000);
  }
}
