import { entityOf, isResolved, type Alert } from '../../alerting/alert.ts';
import type { LabelPredicate } from '../../alerting/matchers.ts';

/** What depends on what: host -> its parents (switches, routers; Nagios `parents`). */
export interface TopologyConfig {
  parents: ReadonlyMap<string, readonly string[]>;
  /** Which alerts mean "this host is down" (and so explain everything on and below it). */
  isDown: LabelPredicate;
  /** How long an alert on a host waits for a parent's down alert that may arrive after it. */
  parentWaitMs: number;
}

export type TopologyVerdict =
  { kind: 'notify' } | { kind: 'suppressed'; by: Alert; reason: string } | { kind: 'hold'; until: number };

/**
 * Topology suppression: a host or switch that is down explains the alerts of everything on it (its
 * containers and services) and below it (hosts whose parent chain leads to it). Alerts on a host are held
 * `parentWaitMs` after they start, so a parent whose alert arrives a little after its children's still
 * suppresses them.
 */
export class Topology {
  private downByHost = new Map<string, Alert>();

  constructor(private readonly config: TopologyConfig) {}

  /** Indexes the firing down alerts; call with every active alert before a batch of `verdict` calls. */
  refresh(active: Iterable<Alert>, now: number): void {
    this.downByHost = new Map();
    for (const alert of active) {
      if (isResolved(alert, now) || !this.config.isDown(alert.labels)) continue;
      const host = entityOf(alert.labels).host;
      if (host && !this.downByHost.has(host)) this.downByHost.set(host, alert);
    }
  }

  verdict(alert: Alert, now: number): TopologyVerdict {
    const host = entityOf(alert.labels).host;
    if (!host) return { kind: 'notify' };
    const alertIsDown = this.config.isDown(alert.labels);
    // A host's own down alert is explained only by an ancestor; anything else on the host by the host too.
    const sameHost = this.downByHost.get(host);
    if (!alertIsDown && sameHost && sameHost.fingerprint !== alert.fingerprint) {
      return { kind: 'suppressed', by: sameHost, reason: `host ${host} is down` };
    }
    for (const ancestor of this.ancestors(host)) {
      const down = this.downByHost.get(ancestor);
      if (down) return { kind: 'suppressed', by: down, reason: `parent ${ancestor} of ${host} is down` };
    }
    const until = alert.startsAt + this.config.parentWaitMs;
    if (now < until && (this.ancestors(host).length > 0 || !alertIsDown)) return { kind: 'hold', until };
    return { kind: 'notify' };
  }

  /** Every ancestor, nearest first, each once (a cycle in the configuration cannot loop). */
  ancestors(host: string): string[] {
    const seen = new Set<string>([host]);
    const out: string[] = [];
    const queue = [...(this.config.parents.get(host) ?? [])];
    while (queue.length > 0 && out.length < 1000) {
      const next = queue.shift() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      out.push(next);
      queue.push(...(this.config.parents.get(next) ?? []));
    }
    return out;
  }
}

/**
 * Parents from a Nagios objects.cache / object config: `define host { host_name web-1  parents sw-a,sw-b }`.
 * Lines that are not host definitions are ignored.
 */
export function parentsFromNagiosObjects(text: string): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  const blocks = text.split(/define\s+host\s*\{/).slice(1);
  for (const block of blocks) {
    const body = block.slice(0, block.indexOf('}') >= 0 ? block.indexOf('}') : block.length);
    let name: string | null = null;
    let list: string[] = [];
    for (const line of body.split('\n')) {
      const m = /^\s*(\w+)\s+(.*?)\s*$/.exec(line);
      if (!m) continue;
      if (m[1] === 'host_name') name = m[2] ?? null;
      if (m[1] === 'parents')
        list = (m[2] ?? '')
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean);
    }
    if (name && list.length > 0) parents.set(name, list);
  }
  return parents;
}
