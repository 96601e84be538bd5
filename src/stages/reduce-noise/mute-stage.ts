import type { Alert } from '../../alerting/alert.ts';
import { entityOf } from '../../alerting/alert.ts';
import type { DecisionKind } from './decision.ts';
import type { DecisionMemo } from './decision-memo.ts';
import type { NotifyContext, Stage } from './stage.ts';

export type MuteVerdict =
  | { kind: 'pass' }
  | { kind: 'mute'; decision: DecisionKind; by: string; reason: string }
  | { kind: 'hold'; until: number };

/** Says whether an alert is muted now, and why (inhibition, silence, topology). Owned by the mute stage. */
export interface Muter {
  /** Called once per flush before `verdict` (to read silences, index source alerts). */
  prepare(now: number): Promise<void>;
  verdict(alert: Alert, ctx: NotifyContext): MuteVerdict;
}

/** Drops muted alerts, records why once per alert and cause, and reschedules held ones. */
export function muteStage(muter: Muter, memo: DecisionMemo): Stage {
  return {
    async exec(ctx, alerts) {
      await muter.prepare(ctx.now);
      const kept: Alert[] = [];
      for (const alert of alerts) {
        const v = muter.verdict(alert, ctx);
        if (v.kind === 'pass') kept.push(alert);
        else if (v.kind === 'hold') ctx.flushAt(v.until);
        else {
          const service = entityOf(alert.labels).service;
          await memo.once(`${v.decision}|${ctx.receiver}|${alert.fingerprint}|${v.by}`, {
            time: ctx.now,
            decision: v.decision,
            reason: v.reason,
            receiver: ctx.receiver,
            groupKey: ctx.groupKey,
            notificationId: null,
            incidentId: alert.fingerprint,
            fingerprints: [alert.fingerprint],
            services: service ? [service] : [],
            by: v.by,
          });
        }
      }
      return kept;
    },
  };
}
