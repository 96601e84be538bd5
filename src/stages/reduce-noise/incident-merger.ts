import { entityOf, isResolved, type Alert } from '../../alerting/alert.ts';

/** How alerts from different sources are recognised as one failure of one entity. */
export interface MergeConfig {
  /** alertname -> failure class, for alerts that carry no `class` label (e.g. Prometheus' own rules). */
  classes: Readonly<Record<string, string>>;
  /** Labels that never make two alerts different (e.g. Prometheus HA `replica`, `prometheus`). */
  ignoreLabels: readonly string[];
}

export const DEFAULT_MERGE_CONFIG: MergeConfig = {
  classes: {},
  ignoreLabels: ['replica', 'prometheus_replica'],
};

/**
 * One incident: the alerts that describe one failure class of one entity, whatever reported them. The
 * first alert is the primary: its labels route and group the incident; the others ride along and are
 * listed in its notifications.
 */
export interface Incident {
  /** The primary alert's fingerprint. */
  id: string;
  /** `class|entity`, or `alert|<fingerprint>` for an alert without an entity. */
  key: string;
  class: string;
  entity: string | null;
  members: Map<string, Alert>;
  /** Fingerprint of the first member. */
  primary: string;
}

/**
 * Groups alerts into incidents. An alert joins the incident of its key while that incident has a firing
 * member or it started before the last member ended; otherwise the key starts a new incident (a new
 * failure, a new page).
 */
export class IncidentMerger {
  private readonly byKey = new Map<string, Incident>();
  private readonly byFingerprint = new Map<string, Incident>();

  constructor(private readonly config: MergeConfig = DEFAULT_MERGE_CONFIG) {}

  /** Adds or updates an alert; says which incident holds it and whether it joined another alert's incident. */
  add(alert: Alert, now: number): { incident: Incident; merged: boolean; isNew: boolean } {
    const known = this.byFingerprint.get(alert.fingerprint);
    if (known) {
      known.members.set(alert.fingerprint, alert);
      return { incident: known, merged: known.primary !== alert.fingerprint, isNew: false };
    }
    const { key, cls, entity } = this.keyOf(alert);
    const open = this.byKey.get(key);
    if (open && (incidentFiring(open, now) || overlaps(open, alert))) {
      open.members.set(alert.fingerprint, alert);
      this.byFingerprint.set(alert.fingerprint, open);
      return { incident: open, merged: true, isNew: false };
    }
    if (open) for (const fp of open.members.keys()) this.byFingerprint.delete(fp);
    const incident: Incident = {
      id: alert.fingerprint,
      key,
      class: cls,
      entity,
      members: new Map([[alert.fingerprint, alert]]),
      primary: alert.fingerprint,
    };
    this.byKey.set(key, incident);
    this.byFingerprint.set(alert.fingerprint, incident);
    return { incident, merged: false, isNew: true };
  }

  incidents(): Incident[] {
    return [...this.byKey.values()];
  }

  /** Forgets incidents resolved before `before`. */
  prune(before: number): Incident[] {
    const gone: Incident[] = [];
    for (const [key, incident] of this.byKey) {
      const ends = [...incident.members.values()].map((a) => a.endsAt);
      if (ends.every((e) => e !== null && e < before)) {
        this.byKey.delete(key);
        for (const fp of incident.members.keys()) this.byFingerprint.delete(fp);
        gone.push(incident);
      }
    }
    return gone;
  }

  private keyOf(alert: Alert): { key: string; cls: string; entity: string | null } {
    const labels = alert.labels;
    const cls = labels.class ?? this.config.classes[labels.alertname ?? ''] ?? labels.alertname ?? 'alert';
    const { host, container, service } = entityOf(labels);
    // The host is the entity when known: one disk filling on db-1 is one incident whether Nagios saw the
    // host, cAdvisor a container on it, or the logs of a service there.
    const entity = host
      ? `host:${host}`
      : container
        ? `container:${container}`
        : service
          ? `service:${service}`
          : null;
    if (entity === null) {
      const kept = Object.fromEntries(
        Object.entries(labels).filter(([k]) => !this.config.ignoreLabels.includes(k)),
      );
      return { key: `labels|${JSON.stringify(Object.entries(kept).sort())}`, cls, entity: null };
    }
    return { key: `${cls}|${entity}`, cls, entity };
  }
}

/** The alert started before the incident's last member ended: the same failure (seen again after a restart). */
function overlaps(incident: Incident, alert: Alert): boolean {
  for (const m of incident.members.values()) if (m.endsAt === null || alert.startsAt <= m.endsAt) return true;
  return false;
}

export function incidentFiring(incident: Incident, now: number): boolean {
  for (const a of incident.members.values()) if (!isResolved(a, now)) return true;
  return false;
}

/**
 * The alert that stands for the incident in routing and notifications: the primary's labels, firing
 * while any member fires, resolved when the last one resolved, and annotated with every source.
 */
export function incidentAlert(incident: Incident): Alert {
  const members = [...incident.members.values()];
  const primary = incident.members.get(incident.primary) ?? (members[0] as Alert);
  const sources = [...new Set(members.map((m) => m.source))].sort();
  const latest = Math.max(...members.map((m) => m.endsAt ?? Infinity));
  const endsAt = Number.isFinite(latest) ? latest : null;
  return {
    ...primary,
    startsAt: Math.min(...members.map((m) => m.startsAt)),
    endsAt,
    updatedAt: Math.max(...members.map((m) => m.updatedAt)),
    annotations:
      members.length > 1 ? { ...primary.annotations, sources: sources.join(',') } : primary.annotations,
  };
}
