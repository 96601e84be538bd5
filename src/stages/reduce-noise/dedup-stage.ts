import { entityOf, isResolved, type Alert } from '../../alerting/alert.ts';
import type { Notification, NotificationEvent, RelatedAlert } from '../../notify/notification.ts';
import type { DecisionMemo } from './decision-memo.ts';
import type { FlapDetector, FlapState } from './flap-detector.ts';
import {
  needsUpdate,
  type GroupState,
  type LedgerEntry,
  type NotificationLedger,
} from './notification-ledger.ts';
import { common, notifiedAlert } from './notified-alerts.ts';
import type { NotifyContext, Stage } from './stage.ts';

export interface DedupDeps {
  ledger: NotificationLedger;
  memo: DecisionMemo;
  /** Alert-level flap state (every source): a flapping alert is frozen until it is stable again. */
  isFlapping(fingerprint: string): boolean;
  /** Whether any integration of the receiver wants resolved notifications. */
  sendResolved(receiver: string): boolean;
  /** Symptoms explained by these alerts (topology dependents, merged sources). */
  related(alerts: readonly Alert[], now: number): RelatedAlert[];
  groupFlaps: FlapDetector;
  externalURL: string;
}

/**
 * Alertmanager's DedupStage over the shared ledger: decides whether this flush must notify (something new
 * fires, all resolved, the flapping set changed, repeat interval passed) and, if so, claims the
 * notification so that exactly one replica sends it. Also detects a flapping group.
 */
export function dedupStage(deps: DedupDeps): Stage {
  const groupFlap = new Map<string, FlapState>();
  return {
    async exec(ctx, alerts) {
      const key = `${ctx.receiver}\u0000${ctx.groupKey}`;
      const anyFiring = alerts.some((a) => !isResolved(a, ctx.now));
      let flap = groupFlap.get(key);
      if (!flap) groupFlap.set(key, (flap = deps.groupFlaps.initial(anyFiring, ctx.now)));
      const change = deps.groupFlaps.observe(flap, anyFiring, ctx.now);
      if (change)
        await recordGroupFlap(deps, ctx, alerts, change === 'started', deps.groupFlaps.percent(flap));
      // Quiet groups are forgotten once their history is all samples of one state.
      if (groupFlap.size > 10_000)
        for (const [k, f] of groupFlap)
          if (!f.flapping && f.history.every((h) => h === f.history[0])) groupFlap.delete(k);

      const state = groupState(alerts, ctx.now, (fp) => flap.flapping || deps.isFlapping(fp));
      if (state.flapping.length > 0) ctx.keepGroup = true;
      const { raw, entry } = await deps.ledger.entry(ctx.receiver, ctx.groupKey);
      const sendResolved = deps.sendResolved(ctx.receiver);
      if (!needsUpdate(entry, state, sendResolved, ctx.route.repeatInterval, ctx.now)) return [];
      const claim = await deps.ledger.claim(ctx.receiver, ctx.groupKey, entry, state, raw);
      if (claim.kind === 'duplicate') {
        await deps.memo.once(`duplicate|${claim.id}`, {
          time: ctx.now,
          decision: 'duplicate',
          reason: claim.reason,
          receiver: ctx.receiver,
          groupKey: ctx.groupKey,
          notificationId: claim.id,
          incidentId: null,
          fingerprints: [...state.firing, ...state.flapping],
          services: servicesOf(alerts),
          by: null,
        });
        return [];
      }
      const flapping = new Set(state.flapping);
      const notified = alerts.map((a) => notifiedAlert(a, ctx.now, flapping.has(a.fingerprint)));
      const notification: Notification = {
        id: claim.id,
        receiver: ctx.receiver,
        groupKey: ctx.groupKey,
        status: notified.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
        event: eventOf(entry, state),
        groupLabels: ctx.groupLabels,
        commonLabels: common(notified.map((a) => a.labels)),
        commonAnnotations: common(notified.map((a) => a.annotations)),
        externalURL: deps.externalURL,
        alerts: notified,
        related: deps.related(alerts, ctx.now),
      };
      ctx.claim = {
        notification,
        seq: claim.seq,
        previousRaw: raw,
        state: { firing: [...state.firing], resolved: [...state.resolved], flapping: [...state.flapping] },
      };
      return [...alerts];
    },
  };
}

function groupState(alerts: readonly Alert[], now: number, flapping: (fp: string) => boolean): GroupState {
  const state = { firing: [] as string[], resolved: [] as string[], flapping: [] as string[] };
  for (const a of alerts) {
    if (flapping(a.fingerprint)) state.flapping.push(a.fingerprint);
    else if (isResolved(a, now)) state.resolved.push(a.fingerprint);
    else state.firing.push(a.fingerprint);
  }
  state.firing.sort();
  state.resolved.sort();
  state.flapping.sort();
  return state;
}

function eventOf(entry: LedgerEntry | null, state: GroupState): NotificationEvent {
  const before = new Set(entry?.flapping ?? []);
  if (state.flapping.some((fp) => !before.has(fp))) return 'flapping';
  if (before.size > state.flapping.length) return 'stable';
  return 'alerts';
}

async function recordGroupFlap(
  deps: DedupDeps,
  ctx: NotifyContext,
  alerts: readonly Alert[],
  started: boolean,
  percent: number,
): Promise<void> {
  await deps.memo.once(
    `${started ? 'flapping' : 'stable'}|group|${ctx.receiver}|${ctx.groupKey}|${ctx.now}`,
    {
      time: ctx.now,
      decision: started ? 'flapping' : 'stable',
      reason: `group ${started ? 'started' : 'stopped'} flapping: ${percent.toFixed(1)}% state change over the last 21 states`,
      receiver: ctx.receiver,
      groupKey: ctx.groupKey,
      notificationId: null,
      incidentId: null,
      fingerprints: alerts.map((a) => a.fingerprint),
      services: servicesOf(alerts),
      by: null,
    },
  );
}

export function servicesOf(alerts: readonly Alert[]): string[] {
  return [...new Set(alerts.flatMap((a) => entityOf(a.labels).service ?? []))];
}
