/** One alert as receivers see it (the Alertmanager webhook's alert object). */
export interface NotifiedAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339. */
  startsAt: string;
  /** RFC 3339; Go's zero time `0001-01-01T00:00:00Z` while firing, as Alertmanager sends. */
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** What a notification is about: alerts (Alertmanager's only kind), or a flap episode starting or ending. */
export type NotificationEvent = 'alerts' | 'flapping' | 'stable';

/** A symptom not paged because this notification's incident explains it (topology, merge). */
export interface RelatedAlert {
  fingerprint: string;
  labels: Record<string, string>;
  /** `suppressed` (a dependent of a down parent) or `merged` (another source's view of this incident). */
  relation: 'suppressed' | 'merged';
  source: string;
}

/**
 * One notification to one receiver, decided once by the ledger. `id` is stable for this decision: every
 * retry, every replica and every restart that sends it again sends the same id, so the receiver (or
 * PagerDuty's dedup) can recognise a repeat.
 */
export interface Notification {
  id: string;
  receiver: string;
  groupKey: string;
  status: 'firing' | 'resolved';
  event: NotificationEvent;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: readonly NotifiedAlert[];
  related: readonly RelatedAlert[];
}

/** A delivery that failed; `retryable` says whether sending the same thing again may succeed. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * One configured destination (one entry of webhook_configs, slack_configs, pagerduty_configs). Owned by
 * the retry stage, which is the only caller: `notify` delivers once or throws a `DeliveryError`.
 */
export interface Integration {
  /** `webhook[0]`, `slack[1]`...: unique within the receiver, as Alertmanager names integrations. */
  readonly name: string;
  readonly sendResolved: boolean;
  notify(notification: Notification, signal: AbortSignal): Promise<void>;
}

export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Alerts that are still firing, then resolved ones: a receiver that truncates keeps the firing ones. */
export function firingFirst(alerts: readonly NotifiedAlert[]): NotifiedAlert[] {
  return [...alerts.filter((a) => a.status === 'firing'), ...alerts.filter((a) => a.status === 'resolved')];
}
