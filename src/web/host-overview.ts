import type { CheckEvent } from '../core/event.ts';

export type HostState = 'UP' | 'DOWN' | 'UNREACHABLE' | 'PENDING';

const SERVICE_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
const HOST_STATES: readonly HostState[] = ['UP', 'DOWN', 'UNREACHABLE', 'UNREACHABLE'];

export interface HostRow {
  host: string;
  state: HostState;
  /** Output of the latest host check, or a word on why there is none. */
  output: string;
  lastCheck: string | null;
  services: { name: string; state: (typeof SERVICE_STATES)[number]; output: string; time: string }[];
  /** Services counted as available: OK or WARNING (up, perhaps degraded). */
  available: number;
}

export interface StateChange {
  time: string;
  host: string;
  service: string | null;
  state: string;
  stateType: 'SOFT' | 'HARD' | null;
  output: string;
}

export function stateName(check: CheckEvent): string {
  return check.checkService === null
    ? (HOST_STATES[check.status] ?? 'UNKNOWN')
    : SERVICE_STATES[check.status];
}

/**
 * Nagios-style overview: each host with its host-check state and its services' latest states, built
 * from check events (any order). Hosts that only other sources know are listed as PENDING.
 */
export function hostOverview(checks: readonly CheckEvent[], otherHosts: readonly string[]): HostRow[] {
  const ordered = [...checks].sort((a, b) => a.time.localeCompare(b.time));
  const rows = new Map<string, HostRow>();
  const row = (host: string): HostRow => {
    let found = rows.get(host);
    if (!found) {
      found = {
        host,
        state: 'PENDING',
        output: 'no host check received',
        lastCheck: null,
        services: [],
        available: 0,
      };
      rows.set(host, found);
    }
    return found;
  };
  const latestService = new Map<string, CheckEvent>();
  for (const check of ordered) {
    const r = row(check.checkHost);
    r.lastCheck = check.time;
    if (check.checkService === null) {
      r.state = HOST_STATES[check.status] ?? 'UNREACHABLE';
      r.output = check.output;
    } else {
      latestService.set(`${check.checkHost}\u0000${check.checkService}`, check);
    }
  }
  for (const check of latestService.values()) {
    const r = row(check.checkHost);
    r.services.push({
      name: check.checkService ?? '',
      state: SERVICE_STATES[check.status],
      output: check.output,
      time: check.time,
    });
    if (check.status === 0 || check.status === 1) r.available += 1;
  }
  for (const host of otherHosts) {
    if (!rows.has(host)) row(host).output = 'no Nagios check for this host yet';
  }
  const rank: Record<HostState, number> = { DOWN: 0, UNREACHABLE: 1, UP: 2, PENDING: 3 };
  for (const r of rows.values()) r.services.sort((a, b) => a.name.localeCompare(b.name));
  return [...rows.values()].sort((a, b) => rank[a.state] - rank[b.state] || a.host.localeCompare(b.host));
}

/** State changes (and first results) of every check, newest first. */
export function stateChanges(checks: readonly CheckEvent[], limit: number): StateChange[] {
  const ordered = [...checks].sort((a, b) => a.time.localeCompare(b.time));
  const last = new Map<string, number>();
  const changes: StateChange[] = [];
  for (const check of ordered) {
    const key = `${check.checkHost}\u0000${check.checkService ?? ''}`;
    if (last.get(key) === check.status) continue;
    last.set(key, check.status);
    changes.push({
      time: check.time,
      host: check.checkHost,
      service: check.checkService,
      state: stateName(check),
      stateType: check.stateType,
      output: check.output,
    });
  }
  return changes.reverse().slice(0, limit);
}
