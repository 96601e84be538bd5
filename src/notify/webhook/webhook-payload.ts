import { firingFirst, type Notification, type NotifiedAlert, type RelatedAlert } from '../notification.ts';

/** Alertmanager's webhook body, version 4, plus Tributary's own `tributary` member (receivers ignore extras). */
export interface WebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: NotifiedAlert[];
  tributary: { notificationId: string; event: Notification['event']; related: RelatedAlert[] };
}

/** `maxAlerts` 0 means all, as in Alertmanager; the rest is counted in `truncatedAlerts`. */
export function webhookPayload(n: Notification, maxAlerts: number): WebhookPayload {
  const ordered = firingFirst(n.alerts);
  const kept = maxAlerts > 0 ? ordered.slice(0, maxAlerts) : ordered;
  return {
    receiver: n.receiver,
    status: n.status,
    alerts: kept,
    groupLabels: n.groupLabels,
    commonLabels: n.commonLabels,
    commonAnnotations: n.commonAnnotations,
    externalURL: n.externalURL,
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: ordered.length - kept.length,
    tributary: { notificationId: n.id, event: n.event, related: [...n.related] },
  };
}
