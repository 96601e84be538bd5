/**
 * What the noise reducer decided about an alert or a notification, and why. Every decision is appended to
 * the audit trail as `notification.<decision>` and kept queryable (`GET /v1/notifications`).
 */
export type DecisionKind =
  | 'sent'
  | 'failed'
  | 'grouped'
  | 'merged'
  | 'inhibited'
  | 'silenced'
  | 'muted'
  | 'suppressed'
  | 'flapping'
  | 'stable'
  | 'duplicate';

export const DECISION_KINDS: readonly DecisionKind[] = [
  'sent',
  'failed',
  'grouped',
  'merged',
  'inhibited',
  'silenced',
  'muted',
  'suppressed',
  'flapping',
  'stable',
  'duplicate',
];

export interface Decision {
  /** Epoch ms. */
  time: number;
  decision: DecisionKind;
  /** Human-readable reason: `inhibited by NodeDown{instance="a"} (rule ...)`, `silenced by 5f1c...`. */
  reason: string;
  receiver: string | null;
  groupKey: string | null;
  /** The notification's stable id (sent, failed, duplicate). */
  notificationId: string | null;
  /** Incident (merged alerts) the decision concerns. */
  incidentId: string | null;
  fingerprints: readonly string[];
  /** Services the alerts are about, for team scoping. */
  services: readonly string[];
  /** What caused it: silence id, inhibiting alert fingerprint, parent host... */
  by: string | null;
}

/** Where decisions go (audit trail + query store). Owned by the stages that decide. */
export interface DecisionRecorder {
  record(decision: Decision): Promise<void>;
}

export interface StoredDecision extends Decision {
  seq: number;
}

export interface DecisionQuery {
  decision?: DecisionKind;
  receiver?: string;
  service?: string;
  /** Only decisions about these services (team scope); null = all. */
  services?: readonly string[] | null;
  groupKey?: string;
  from?: number;
  to?: number;
  limit: number;
  /** `seq` of the last item of the previous page. */
  cursor?: number;
}

/** Read side for the API. */
export interface DecisionReader {
  query(q: DecisionQuery): Promise<{ items: StoredDecision[]; next: string | null }>;
}
