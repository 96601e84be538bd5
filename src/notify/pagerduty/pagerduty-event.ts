import { createHash } from 'node:crypto';
import type { Notification } from '../notification.ts';

export interface PagerdutyEvent {
  routing_key: string;
  dedup_key: string;
  event_action: 'trigger' | 'resolve';
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    custom_details: Record<string, unknown>;
  };
  client?: string;
  client_url?: string;
}

const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);

/**
 * PagerDuty Events API v2. `dedup_key` is the SHA-256 of the group key, as Alertmanager computes it: every
 * trigger of one group lands on one PagerDuty incident (a repeated trigger is an update, not a new page)
 * and the resolve closes it.
 */
export function pagerdutyEvent(n: Notification, routingKey: string, severity?: string): PagerdutyEvent {
  const dedupKey = createHash('sha256').update(n.groupKey).digest('hex');
  if (n.status === 'resolved' && n.event === 'alerts') {
    return { routing_key: routingKey, dedup_key: dedupKey, event_action: 'resolve' };
  }
  const firing = n.alerts.filter((a) => a.status === 'firing');
  const name = n.groupLabels.alertname ?? n.commonLabels.alertname ?? firing[0]?.labels.alertname ?? 'alert';
  const flap = n.event === 'flapping' ? '[FLAPPING] ' : n.event === 'stable' ? '[STABLE] ' : '';
  const wanted = severity ?? n.commonLabels.severity ?? 'error';
  return {
    routing_key: routingKey,
    dedup_key: dedupKey,
    event_action: 'trigger',
    payload: {
      summary: `${flap}[FIRING:${firing.length}] ${name} ${describe(n.groupLabels)}`.trim().slice(0, 1024),
      source: n.commonLabels.host ?? n.commonLabels.instance ?? 'tributary',
      severity: (SEVERITIES.has(wanted) ? wanted : 'error') as 'critical' | 'error' | 'warning' | 'info',
      custom_details: {
        firing: firing.map((a) => a.annotations.summary ?? a.labels.alertname ?? a.fingerprint),
        num_firing: firing.length,
        num_resolved: n.alerts.length - firing.length,
        suppressed: n.related.filter((r) => r.relation === 'suppressed').map((r) => r.labels),
        merged: n.related.filter((r) => r.relation === 'merged').map((r) => r.labels),
        notification_id: n.id,
      },
    },
    client: 'Tributary',
    ...(n.externalURL ? { client_url: n.externalURL } : {}),
  };
}

function describe(labels: Record<string, string>): string {
  return Object.entries(labels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
