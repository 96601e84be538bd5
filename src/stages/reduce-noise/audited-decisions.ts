import type { AuditLog } from '../../audit/audit-log.ts';
import type { Decision, DecisionRecorder } from './decision.ts';

/**
 * Sends each decision to the audit trail (`notification.<decision>`, actor `system`, origin the replica)
 * and to the query store. A failing audit write is reported through `onError` and does not stop the
 * decision: the notification path must not depend on the audit store being healthy.
 */
export function auditedDecisions(
  audit: Pick<AuditLog, 'append'>,
  store: DecisionRecorder,
  origin: string,
  onError: (err: unknown, decision: Decision) => void = () => {},
): DecisionRecorder {
  return {
    async record(decision) {
      await store.record(decision);
      try {
        await audit.append({
          actor: 'system',
          action: `notification.${decision.decision}`,
          target: decision.groupKey ?? decision.incidentId ?? decision.fingerprints[0] ?? '',
          origin,
          detail: {
            reason: decision.reason,
            receiver: decision.receiver,
            notificationId: decision.notificationId,
            incidentId: decision.incidentId,
            fingerprints: decision.fingerprints.slice(0, 100),
            services: decision.services.slice(0, 20),
            by: decision.by,
          },
        });
      } catch (err) {
        onError(err, decision);
      }
    },
  };
}
