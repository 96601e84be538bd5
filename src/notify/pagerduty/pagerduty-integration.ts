import type { PagerdutyTarget } from '../../alerting/load-alertmanager-config.ts';
import type { Integration, Notification } from '../notification.ts';
import { postJson } from '../post-json.ts';
import { pagerdutyEvent } from './pagerduty-event.ts';

/** Alertmanager's pagerduty_configs entry (Events API v2 only). */
export function pagerdutyIntegration(
  target: PagerdutyTarget,
  index: number,
  timeoutMs?: number,
): Integration {
  return {
    name: `pagerduty[${index}]`,
    sendResolved: target.sendResolved,
    notify: (n: Notification, signal: AbortSignal) =>
      postJson(target.url, pagerdutyEvent(n, target.routingKey, target.severity), {
        signal,
        ...(timeoutMs ? { timeoutMs } : {}),
      }),
  };
}
