import type { SlackTarget } from '../../alerting/load-alertmanager-config.ts';
import type { Integration, Notification } from '../notification.ts';
import { postJson } from '../post-json.ts';
import { slackMessage } from './slack-message.ts';

/** Alertmanager's slack_configs entry, delivered to a Slack incoming webhook. */
export function slackIntegration(target: SlackTarget, index: number, timeoutMs?: number): Integration {
  return {
    name: `slack[${index}]`,
    sendResolved: target.sendResolved,
    notify: (n: Notification, signal: AbortSignal) =>
      postJson(
        target.url,
        slackMessage(n, {
          ...(target.channel ? { channel: target.channel } : {}),
          ...(target.username ? { username: target.username } : {}),
        }),
        { signal, ...(timeoutMs ? { timeoutMs } : {}) },
      ),
  };
}
