import { isResolved, type Alert } from '../../alerting/alert.ts';
import { GO_ZERO_TIME, type NotifiedAlert } from '../../notify/notification.ts';

/** The alert as receivers see it; a flapping alert is shown firing with `flapping: "true"`. */
export function notifiedAlert(alert: Alert, now: number, flapping: boolean): NotifiedAlert {
  const resolved = !flapping && isResolved(alert, now);
  return {
    status: resolved ? 'resolved' : 'firing',
    labels: { ...alert.labels },
    annotations: flapping ? { ...alert.annotations, flapping: 'true' } : { ...alert.annotations },
    startsAt: new Date(alert.startsAt).toISOString(),
    endsAt: resolved && alert.endsAt !== null ? new Date(alert.endsAt).toISOString() : GO_ZERO_TIME,
    generatorURL: alert.generatorURL,
    fingerprint: alert.fingerprint,
  };
}

/** Labels (or annotations) every alert shares with the same value. */
export function common(maps: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first)) if (rest.every((m) => m[k] === v)) out[k] = v;
  return out;
}
