/**
 * The audit trail: append-only, hash-chained. Each entry carries the previous entry's hash, so an entry
 * altered or removed in the store breaks the chain at that point, and `verify` names it.
 */
export interface AuditRecord {
  /** Who: the API key name, `system`, or `config`. */
  actor: string;
  /** What: `api_key.create`, `silence.create`, `config.reload`, `dashboard.publish`, `notification.sent`... */
  action: string;
  /** On what: a key name, a service, a silence id... */
  target: string;
  /** From where: the client address, or the component for internal decisions. */
  origin: string;
  /** Anything else worth keeping (reason, parameters); never secrets. */
  detail: Record<string, unknown>;
}

export interface AuditEntry extends AuditRecord {
  /** 1, 2, 3... without gaps. */
  seq: number;
  time: string;
  prevHash: string;
  hash: string;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  target?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  /** The first entry where the chain breaks, and why. */
  firstBroken: { seq: number; reason: string } | null;
}

export interface AuditLog {
  append(record: AuditRecord): Promise<AuditEntry>;
  query(query: AuditQuery): Promise<{ items: AuditEntry[]; next: string | null }>;
  verify(): Promise<VerifyReport>;
}
