import type { WebhookTarget } from '../../alerting/load-alertmanager-config.ts';
import type { Integration, Notification } from '../notification.ts';
import { postJson } from '../post-json.ts';
import { webhookPayload } from './webhook-payload.ts';

/**
 * Alertmanager's webhook_configs entry. The `Idempotency-Key` header carries the notification id, so a
 * receiver that keeps seen keys drops the repeat the ledger may send after a crash between send and record.
 */
export function webhookIntegration(target: WebhookTarget, index: number, timeoutMs?: number): Integration {
  return {
    name: `webhook[${index}]`,
    sendResolved: target.sendResolved,
    notify: (n: Notification, signal: AbortSignal) =>
      postJson(target.url, webhookPayload(n, target.maxAlerts), {
        signal,
        headers: { 'idempotency-key': n.id },
        ...(timeoutMs ? { timeoutMs } : {}),
      }),
  };
}
