import { isResolved, type Alert } from '../../alerting/alert.ts';
import type { InhibitRule } from '../../alerting/load-alertmanager-config.ts';

export interface Inhibition {
  by: Alert;
  rule: InhibitRule;
}

/**
 * Alertmanager's inhibitor: a target alert is muted while a firing source alert of the same rule has the
 * same values for every `equal` label (absent counts as empty, as in Alertmanager). An alert matching
 * both sides of a rule is never inhibited by itself.
 */
export class Inhibitor {
  private sources: { rule: InhibitRule; alerts: Alert[] }[] = [];

  constructor(private readonly rules: readonly InhibitRule[]) {}

  /** Indexes the firing source alerts; call with every active alert before a batch of `inhibitedBy`. */
  refresh(active: Iterable<Alert>, now: number): void {
    const firing = [...active].filter((a) => !isResolved(a, now));
    this.sources = this.rules.map((rule) => ({ rule, alerts: firing.filter((a) => rule.source(a.labels)) }));
  }

  inhibitedBy(alert: Alert): Inhibition | null {
    for (const { rule, alerts } of this.sources) {
      if (!rule.target(alert.labels)) continue;
      for (const source of alerts) {
        if (source.fingerprint === alert.fingerprint) continue;
        if (rule.equal.every((name) => (source.labels[name] ?? '') === (alert.labels[name] ?? ''))) {
          return { by: source, rule };
        }
      }
    }
    return null;
  }
}
