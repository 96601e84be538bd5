import { isResolved, mergeAlert, type Alert } from '../../alerting/alert.ts';

/** Where received alerts survive a restart: hashes of the shared state store. Owned here. */
export interface AlertPersistence {
  hset(key: string, fields: Readonly<Record<string, string>>, ttlMs?: number): Promise<void>;
  hgetall(key: string): Promise<Record<string, string>>;
}

const DAY_MS = 86_400_000;
/** A firing alert is written again at least this often, so it is in the current day's bucket. */
const REFRESH_MS = 60_000;

/**
 * Every alert received, by fingerprint, in memory and in the state store. Writes go to a bucket per day
 * (kept two days), so resolved alerts vanish on their own while firing ones, rewritten at least every
 * minute and on every status change, are always in today's or yesterday's bucket. `load` brings them
 * back after a restart before any group flushes: inhibition and dedup know what was open.
 */
export class AlertRegistry {
  private readonly alerts = new Map<string, Alert>();
  private readonly persistedAt = new Map<string, number>();
  private readonly persistedEnd = new Map<string, number | null>();

  constructor(
    private readonly store: AlertPersistence,
    private readonly prefix = 'alerts:v1',
  ) {}

  async load(now: number): Promise<Alert[]> {
    const day = Math.floor(now / DAY_MS);
    for (const d of [day - 1, day]) {
      for (const raw of Object.values(await this.store.hgetall(`${this.prefix}:${d}`))) {
        const parsed = parse(raw);
        if (!parsed) continue;
        const alert = restoreHorizon(parsed, now);
        const known = this.alerts.get(alert.fingerprint);
        if (!known || known.updatedAt <= alert.updatedAt) this.alerts.set(alert.fingerprint, alert);
      }
    }
    // In arrival order: incidents are rebuilt with the same primary alert as before the restart.
    const order = (a: Alert): number => a.receivedAt ?? a.startsAt;
    return [...this.alerts.values()].sort(
      (a, b) => order(a) - order(b) || a.fingerprint.localeCompare(b.fingerprint),
    );
  }

  get(fingerprint: string): Alert | undefined {
    return this.alerts.get(fingerprint);
  }

  /** Merges the update into what is known and persists it when needed; returns the merged alert. */
  async upsert(update: Alert, now: number): Promise<{ alert: Alert; statusChanged: boolean }> {
    const previous = this.alerts.get(update.fingerprint);
    const merged = previous ? mergeAlert(previous, update) : update;
    const alert = { ...merged, receivedAt: previous?.receivedAt ?? update.receivedAt ?? now };
    const statusChanged = !previous || isResolved(previous, now) !== isResolved(alert, now);
    this.alerts.set(alert.fingerprint, alert);
    const last = this.persistedAt.get(alert.fingerprint) ?? -Infinity;
    // The stored end must stay ahead of now, or a restart would read the alert as resolved: rewrite once
    // half of the stored horizon has passed (Prometheus extends endsAt at every resend).
    const storedEnd = this.persistedEnd.get(alert.fingerprint) ?? null;
    const endRunningOut =
      alert.endsAt !== null &&
      (storedEnd === null || storedEnd - now < (alert.endsAt - now) / 2 || alert.endsAt < storedEnd);
    if (statusChanged || now - last >= REFRESH_MS || endRunningOut) {
      const day = Math.floor(now / DAY_MS);
      await this.store.hset(
        `${this.prefix}:${day}`,
        { [alert.fingerprint]: JSON.stringify(alert) },
        2 * DAY_MS,
      );
      this.persistedAt.set(alert.fingerprint, now);
      this.persistedEnd.set(alert.fingerprint, alert.endsAt);
    }
    return { alert, statusChanged };
  }

  /** Forgets alerts resolved before `before` (memory only; the store's buckets expire on their own). */
  prune(before: number): void {
    for (const [fp, a] of this.alerts) {
      if (a.endsAt !== null && a.endsAt < before) {
        this.alerts.delete(fp);
        this.persistedAt.delete(fp);
        this.persistedEnd.delete(fp);
      }
    }
  }
}

/**
 * An alert still firing when it was last written, whose end passed while this process was down, gets its
 * horizon back from now: downtime must not resolve it (its source could not refresh it meanwhile). A real
 * end still arrives, by an explicit resolve or by the horizon running out again.
 */
function restoreHorizon(alert: Alert, now: number): Alert {
  if (alert.endsAt === null || alert.endsAt <= alert.updatedAt || alert.endsAt > now) return alert;
  return { ...alert, endsAt: now + (alert.endsAt - alert.updatedAt) };
}

function parse(raw: string): Alert | null {
  try {
    const a = JSON.parse(raw) as Alert;
    return typeof a.fingerprint === 'string' && typeof a.labels === 'object' && typeof a.startsAt === 'number'
      ? a
      : null;
  } catch {
    return null;
  }
}
