import type { Alert } from '../../alerting/alert.ts';
import type { Route } from '../../alerting/route-tree.ts';
import type { Notification, RelatedAlert } from '../../notify/notification.ts';

/** What one flush of one aggregation group carries through the notification pipeline. */
export interface NotifyContext {
  receiver: string;
  route: Route;
  groupKey: string;
  groupLabels: Record<string, string>;
  now: number;
  /** Symptoms this notification explains (suppressed dependents, merged sources), filled by stages. */
  related: RelatedAlert[];
  /** Asks the group to flush again at `time` (an alert held while its parent may still arrive). */
  flushAt(time: number): void;
  /** Set while the group or one of its alerts is flapping: the group stays (resolved alerts too) until stable. */
  keepGroup?: boolean;
  /** Set by the dedup stage when this replica claimed a notification to send. */
  claim?: ClaimedNotification;
}

export interface ClaimedNotification {
  notification: Notification;
  seq: number;
  previousRaw: string | null;
  state: { firing: string[]; resolved: string[]; flapping: string[] };
}

/**
 * One step of the notification pipeline, as Alertmanager's `Stage`: takes the group's alerts, returns
 * the ones that go on. An empty result ends the pipeline for this flush.
 */
export interface Stage {
  exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<Alert[]>;
}

/** Runs stages in order, stopping when one leaves nothing. */
export function multiStage(...stages: Stage[]): Stage {
  return {
    async exec(ctx, alerts) {
      let current = [...alerts];
      for (const stage of stages) {
        if (current.length === 0) break;
        current = await stage.exec(ctx, current);
      }
      return current;
    },
  };
}
