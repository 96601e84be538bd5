import type { Notification } from '../notification.ts';

export interface SlackMessage {
  channel?: string;
  username?: string;
  text: string;
  attachments: { color: string; title: string; text: string; fallback: string; mrkdwn_in: string[] }[];
}

const MAX_LINES = 20;

/** A readable message in place of Alertmanager's default template: title, one line per alert, related symptoms. */
export function slackMessage(
  n: Notification,
  options: { channel?: string; username?: string },
): SlackMessage {
  const firing = n.alerts.filter((a) => a.status === 'firing').length;
  const name =
    n.groupLabels.alertname ?? n.commonLabels.alertname ?? n.alerts[0]?.labels.alertname ?? 'alerts';
  const prefix =
    n.event === 'flapping'
      ? 'FLAPPING'
      : n.event === 'stable'
        ? 'STABLE'
        : n.status === 'firing'
          ? `FIRING:${firing}`
          : 'RESOLVED';
  const labels = Object.entries(n.groupLabels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const title = `[${prefix}] ${name}${labels ? ` (${labels})` : ''}`;
  const lines = n.alerts.slice(0, MAX_LINES).map((a) => {
    const summary = a.annotations.summary ?? a.annotations.description ?? a.labels.alertname ?? '';
    return `• ${a.status === 'firing' ? '🔥' : '✅'} ${summary}`;
  });
  if (n.alerts.length > MAX_LINES) lines.push(`…and ${n.alerts.length - MAX_LINES} more`);
  const suppressed = n.related.filter((r) => r.relation === 'suppressed');
  if (suppressed.length > 0)
    lines.push(`Suppressed ${suppressed.length} dependent alert(s): ${summarize(suppressed)}`);
  const merged = n.related.filter((r) => r.relation === 'merged');
  if (merged.length > 0) lines.push(`Also seen by: ${[...new Set(merged.map((m) => m.source))].join(', ')}`);
  const color = n.event === 'flapping' ? 'warning' : n.status === 'firing' ? 'danger' : 'good';
  return {
    ...(options.channel ? { channel: options.channel } : {}),
    ...(options.username ? { username: options.username } : {}),
    text: title,
    attachments: [{ color, title, text: lines.join('\n'), fallback: title, mrkdwn_in: ['text'] }],
  };
}

function summarize(related: Notification['related']): string {
  const names = related
    .slice(0, 10)
    .map((r) => r.labels.host ?? r.labels.container ?? r.labels.alertname ?? r.fingerprint);
  return names.join(', ') + (related.length > 10 ? `, +${related.length - 10}` : '');
}
