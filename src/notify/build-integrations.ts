import type { ReceiverConfig } from '../alerting/load-alertmanager-config.ts';
import type { Integration } from './notification.ts';
import { pagerdutyIntegration } from './pagerduty/pagerduty-integration.ts';
import { slackIntegration } from './slack/slack-integration.ts';
import { webhookIntegration } from './webhook/webhook-integration.ts';

/** The integrations of one receiver, named per kind and position as Alertmanager names them. */
export function buildIntegrations(receiver: ReceiverConfig, timeoutMs?: number): Integration[] {
  const counts = { webhook: 0, slack: 0, pagerduty: 0 };
  return receiver.integrations.map((target) => {
    const index = counts[target.kind]++;
    switch (target.kind) {
      case 'webhook':
        return webhookIntegration(target, index, timeoutMs);
      case 'slack':
        return slackIntegration(target, index, timeoutMs);
      case 'pagerduty':
        return pagerdutyIntegration(target, index, timeoutMs);
    }
  });
}
