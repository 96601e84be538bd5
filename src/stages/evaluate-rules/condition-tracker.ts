import { fingerprintOf, type Alert } from '../../alerting/alert.ts';
import type { LoadedRule } from '../../alerting/load-rules.ts';
import { expandTemplate } from './template.ts';

interface Tracked {
  labels: Record<string, string>;
  pendingSince: number | null;
  firingSince: number | null;
  lastEmitted: number;
  value: number | null;
}

/**
 * Prometheus' alert states for one rule, per entity: inactive -> pending (condition true, waiting out
 * `for`) -> firing -> resolved. A firing alert is re-emitted now and then with a fresh end
 * (`stale_after` ahead), so it resolves by itself if its source goes quiet.
 */
export class ConditionTracker {
  private readonly entities = new Map<string, Tracked>();

  constructor(
    private readonly rule: LoadedRule,
    private readonly source: string,
  ) {}

  /** The condition's truth for one entity at `now`; returns the alert to emit, if any. */
  update(
    key: string,
    holds: boolean,
    entityLabels: Record<string, string>,
    value: number | null,
    now: number,
  ): Alert | null {
    let t = this.entities.get(key);
    if (!holds) {
      if (!t) return null;
      this.entities.delete(key);
      return t.firingSince !== null ? this.alert(t, t.firingSince, now, now) : null;
    }
    if (!t) {
      t = {
        labels: { ...entityLabels, ...this.rule.labels, alertname: this.rule.alert },
        pendingSince: now,
        firingSince: null,
        lastEmitted: -Infinity,
        value,
      };
      this.entities.set(key, t);
    }
    t.value = value;
    if (t.firingSince === null && now - (t.pendingSince ?? now) >= this.rule.for) t.firingSince = now;
    if (t.firingSince === null) return null;
    // Re-emit a firing alert a few times per stale period: enough to keep it alive, not per sample.
    if (now - t.lastEmitted < this.rule.stale_after / 4) return null;
    t.lastEmitted = now;
    return this.alert(t, t.firingSince, null, now);
  }

  /** Entities currently pending or firing (for `tick`). */
  keys(): string[] {
    return [...this.entities.keys()];
  }

  private alert(t: Tracked, startsAt: number, endedAt: number | null, now: number): Alert {
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.rule.annotations))
      annotations[k] = expandTemplate(v, t.labels, t.value);
    return {
      labels: t.labels,
      annotations,
      startsAt,
      endsAt: endedAt ?? now + this.rule.stale_after,
      updatedAt: now,
      generatorURL: '',
      fingerprint: fingerprintOf(t.labels),
      source: this.source,
    };
  }
}
