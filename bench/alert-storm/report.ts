import type { Scenario } from './scenario.ts';

export interface Received {
  at: number;
  body: {
    status: string;
    groupKey: string;
    alerts: { status: string; labels: Record<string, string>; fingerprint: string }[];
    tributary?: { event: string; notificationId: string; related: { labels: Record<string, string> }[] };
  };
}

export interface SystemReport {
  notifications: number;
  firingNotifications: number;
  incidents: number;
  missed: string[];
  noisePerIncident: number;
  /** Real (uncompressed) seconds from incident start to its first notification, per incident. */
  timeToFirstPage: Record<string, number | null>;
  /** Notifications about no incident (the CPU blip). */
  falsePages: number;
  /** Notifications repeating the previous one of the same group (same alerts, same states) within the repeat interval. */
  duplicates: number;
  /** Deliveries of a notification id received before (at-least-once retries a receiver drops by id). */
  redeliveries: number;
}

const key = (labels: Record<string, string>): string => JSON.stringify(Object.entries(labels).sort());

/** Scores one system's received notifications against the scenario's ground truth. */
export function score(
  scenario: Scenario,
  received: readonly Received[],
  t0: number,
  compression: number,
  repeatMs: number,
): SystemReport {
  const incidentOf = new Map<string, string | null>();
  for (const s of scenario.signals) incidentOf.set(key(s.labels), s.incident);
  const first = new Map<string, number>();
  let falsePages = 0;
  let duplicates = 0;
  let redeliveries = 0;
  const ids = new Set<string>();
  const lastByGroup = new Map<string, { at: number; state: string }>();
  for (const n of received) {
    const id = n.body.tributary?.notificationId;
    if (id !== undefined) {
      if (ids.has(id)) {
        redeliveries++;
        continue;
      }
      ids.add(id);
    }
    const touched = new Set<string | null>();
    for (const a of n.body.alerts) touched.add(incidentOf.get(key(a.labels)) ?? null);
    for (const r of n.body.tributary?.related ?? []) touched.add(incidentOf.get(key(r.labels)) ?? null);
    const firing = n.body.alerts.some((a) => a.status === 'firing');
    if (firing) {
      for (const id of touched) if (id !== null && !first.has(id)) first.set(id, n.at);
      if ([...touched].every((id) => id === null)) falsePages++;
    }
    const state =
      JSON.stringify(n.body.alerts.map((a) => `${a.fingerprint}:${a.status}`).sort()) +
      (n.body.tributary?.event ?? '');
    const last = lastByGroup.get(n.body.groupKey);
    if (last && last.state === state && n.at - last.at < repeatMs) duplicates++;
    lastByGroup.set(n.body.groupKey, { at: n.at, state });
  }
  const mustPage = scenario.incidents.filter((i) => i.mustPage);
  const timeToFirstPage: Record<string, number | null> = {};
  for (const i of mustPage) {
    const at = first.get(i.id);
    timeToFirstPage[i.id] =
      at === undefined ? null : Math.round(((at - (t0 + i.start / compression)) * compression) / 100) / 10;
  }
  const paged = mustPage.filter((i) => first.has(i.id)).length;
  return {
    notifications: received.length,
    firingNotifications: received.filter((n) => n.body.alerts.some((a) => a.status === 'firing')).length,
    incidents: mustPage.length,
    missed: mustPage.filter((i) => !first.has(i.id)).map((i) => i.id),
    noisePerIncident: paged === 0 ? 0 : Math.round((received.length / paged) * 10) / 10,
    timeToFirstPage,
    falsePages,
    duplicates,
    redeliveries,
  };
}

export function formatReport(reports: Record<string, SystemReport>, scenario: Scenario): string {
  const systems = Object.keys(reports);
  const row = (label: string, f: (r: SystemReport) => string | number): string =>
    `| ${label} | ${systems.map((s) => f(reports[s] as SystemReport)).join(' | ')} |`;
  const lines = [
    `| metric | ${systems.join(' | ')} |`,
    `| --- | ${systems.map(() => '---').join(' | ')} |`,
    row('notifications sent', (r) => r.notifications),
    row('of which firing', (r) => r.firingNotifications),
    row('missed incidents', (r) => `${r.missed.length}${r.missed.length ? ` (${r.missed.join(', ')})` : ''}`),
    row('noise per incident', (r) => r.noisePerIncident),
    row('pages for a non-incident', (r) => r.falsePages),
    row('repeated notifications', (r) => r.duplicates),
    row('redeliveries of one id (receiver drops them)', (r) => r.redeliveries),
  ];
  for (const i of scenario.incidents.filter((x) => x.mustPage)) {
    lines.push(row(`time to first page: ${i.id} (s)`, (r) => r.timeToFirstPage[i.id] ?? 'never'));
  }
  return lines.join('\n');
}
