import type { Clock } from '../../alerting/clock.ts';
import type { Integration, Notification } from '../../notify/notification.ts';
import type { DecisionRecorder } from './decision.ts';
import { servicesOf } from './dedup-stage.ts';
import type { NotificationLedger } from './notification-ledger.ts';
import { deliverWithRetry } from './retry-stage.ts';
import type { Stage } from './stage.ts';

export interface SendDeps {
  ledger: NotificationLedger;
  recorder: DecisionRecorder;
  clock: Clock;
  integrations(receiver: string): readonly Integration[];
  /** For receivers without integrations (the default `log` receiver), and as a trace of every send. */
  log(notification: Notification): void;
  retry: { initialBackoffMs: number; maxBackoffMs: number; timeoutMs: number };
}

/**
 * Fans the claimed notification out to every integration of the receiver at once (a slow or failing one
 * delays none of the others), each with its own retries. Each delivery is recorded as it succeeds, so a
 * later attempt sends only to the integrations still missing; when all are done the ledger entry moves.
 */
export function sendStage(deps: SendDeps): Stage {
  return {
    async exec(ctx, alerts) {
      const claim = ctx.claim;
      if (!claim) return [];
      const n = claim.notification;
      const deadline = ctx.now + deps.retry.timeoutMs;
      const results = await Promise.all(
        deps.integrations(ctx.receiver).map(async (integration) => {
          if (!integration.sendResolved && !n.alerts.some((a) => a.status === 'firing'))
            return { name: integration.name, ok: true, skipped: 'resolved not wanted' };
          if (await deps.ledger.delivered(n.id, integration.name))
            return { name: integration.name, ok: true, skipped: 'delivered before' };
          const payload = integration.sendResolved
            ? n
            : { ...n, alerts: n.alerts.filter((a) => a.status === 'firing') };
          const outcome = await deliverWithRetry(integration, payload, {
            clock: deps.clock,
            initialBackoffMs: deps.retry.initialBackoffMs,
            maxBackoffMs: deps.retry.maxBackoffMs,
            deadline,
            stillOwner: () => deps.ledger.renew(n.id),
          });
          if (outcome.ok) await deps.ledger.markDelivered(n.id, integration.name, deps.clock.now());
          return { name: integration.name, ...outcome };
        }),
      );
      deps.log(n);
      const failed = results.filter((r) => !r.ok);
      const base = {
        time: deps.clock.now(),
        receiver: ctx.receiver,
        groupKey: ctx.groupKey,
        notificationId: n.id,
        incidentId: null,
        fingerprints: n.alerts.map((a) => a.fingerprint),
        services: servicesOf(alerts),
        by: null,
      };
      const summary = `${n.event === 'alerts' ? n.status : n.event}: ${n.alerts.filter((a) => a.status === 'firing').length} firing, ${n.alerts.filter((a) => a.status === 'resolved').length} resolved${n.related.length ? `, ${n.related.length} related` : ''}`;
      if (failed.length > 0) {
        await deps.recorder.record({
          ...base,
          decision: 'failed',
          reason: `${summary}; not delivered to ${failed.map((f) => `${f.name} (${'error' in f ? f.error : ''})`).join(', ')}; retried at the next group interval`,
        });
        return [];
      }
      await deps.ledger.complete(
        ctx.receiver,
        ctx.groupKey,
        claim.previousRaw,
        n.id,
        claim.seq,
        claim.state,
        deps.clock.now(),
      );
      await deps.recorder.record({
        ...base,
        decision: 'sent',
        reason: `${summary} to ${results.map((r) => r.name).join(', ') || 'the log'}`,
      });
      return [...alerts];
    },
  };
}
