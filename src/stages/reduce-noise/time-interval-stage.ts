import type { TimeInterval } from '../../alerting/time-intervals.ts';
import type { DecisionMemo } from './decision-memo.ts';
import type { Stage } from './stage.ts';

/**
 * A route's mute_time_intervals (quiet while any holds) and active_time_intervals (quiet unless one
 * holds). Alerts are not dropped from the group: they notify when the interval ends.
 */
export function timeIntervalStage(intervals: ReadonlyMap<string, TimeInterval>, memo: DecisionMemo): Stage {
  return {
    async exec(ctx, alerts) {
      const muting = ctx.route.muteTimeIntervals.find((name) => intervals.get(name)?.(ctx.now));
      const inactive =
        ctx.route.activeTimeIntervals.length > 0 &&
        !ctx.route.activeTimeIntervals.some((name) => intervals.get(name)?.(ctx.now));
      if (!muting && !inactive) return [...alerts];
      const reason = muting
        ? `muted by time interval "${muting}"`
        : `outside active time intervals ${ctx.route.activeTimeIntervals.join(', ')}`;
      const fingerprints = alerts.map((a) => a.fingerprint).sort();
      await memo.once(`muted|${ctx.receiver}|${ctx.groupKey}|${fingerprints.join(',')}|${reason}`, {
        time: ctx.now,
        decision: 'muted',
        reason,
        receiver: ctx.receiver,
        groupKey: ctx.groupKey,
        notificationId: null,
        incidentId: null,
        fingerprints,
        services: [...new Set(alerts.flatMap((a) => (a.labels.service ? [a.labels.service] : [])))],
        by: muting ?? null,
      });
      return [];
    },
  };
}
