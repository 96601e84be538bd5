/** One service as Tributary knows it, across every source that mentioned it. */
export interface ServiceEntry {
  name: string;
  firstSeen: string;
  lastSeen: string;
  /** Inputs that reported it (logstash, cadvisor, nagios, otlp, pinpoint, prometheus). */
  sources: string[];
  hosts: string[];
  containers: string[];
  /** Events stored per kind. */
  counts: Record<string, number>;
}

/**
 * Remembers the services seen in stored events. `observe` returns the names seen for the first time
 * (dashboards are generated for those). Implementations: SQLite (embedded).
 */
export interface ServiceCatalog {
  observe(entries: readonly ServiceSighting[]): Promise<string[]>;
  list(): Promise<ServiceEntry[]>;
}

export interface ServiceSighting {
  name: string;
  time: string;
  source: string;
  kind: string;
  host: string | null;
  container: string | null;
}
