/**
 * The alert-storm schedule, in real (uncompressed) milliseconds from the start. Seeded: the same seed
 * gives the same schedule. Each signal is an Alertmanager v2 alert as Prometheus (or an exporter in front
 * of Nagios, cAdvisor, logs) would send it; both systems receive the same ones.
 */
export interface Signal {
  labels: Record<string, string>;
  /** Firing from `start` to `end` (real ms); the driver resends it every resend interval meanwhile. */
  start: number;
  end: number;
  /** The ground-truth incident it belongs to (null: not an incident, must not page). */
  incident: string | null;
}

export interface Incident {
  id: string;
  start: number;
  /** A root cause the on-call must hear about. */
  mustPage: boolean;
  description: string;
}

export interface Scenario {
  signals: Signal[];
  incidents: Incident[];
  /** Hosts under switch-a (for Tributary's topology). */
  parents: Record<string, string[]>;
  restarts: { at: number; signal: 'SIGTERM' | 'SIGKILL' }[];
  duration: number;
}

const S = 1000;
const M = 60 * S;

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildScenario(seed: number, small: boolean): Scenario {
  const random = mulberry32(seed);
  const signals: Signal[] = [];
  const incidents: Incident[] = [];
  const parents: Record<string, string[]> = {};
  const add = (labels: Record<string, string>, start: number, end: number, incident: string | null): void => {
    signals.push({ labels, start: Math.round(start), end: Math.round(end), incident });
  };

  // 1. A switch goes down; its hosts' dependents alert from Nagios, cAdvisor and logs within 20 s, the
  //    switch's own alert arriving among them. 20 hosts x 7 alerts = 140 (small: 4 x 7 = 28).
  const hosts = small ? 4 : 20;
  incidents.push({
    id: 'switch-down',
    start: 0,
    mustPage: true,
    description: `switch-a down, ${hosts * 7} dependent alerts`,
  });
  add(
    { alertname: 'SwitchDown', host: 'switch-a', class: 'down', severity: 'critical' },
    8 * S,
    6 * M,
    'switch-down',
  );
  for (let h = 0; h < hosts; h++) {
    const host = `web-${h + 1}`;
    parents[host] = ['switch-a'];
    const at = (): number => random() * 20 * S;
    add(
      { alertname: 'NagiosHostDown', host, class: 'down', severity: 'critical' },
      at(),
      6 * M,
      'switch-down',
    );
    for (const c of ['cart', 'api', 'search']) {
      add(
        {
          alertname: 'ContainerAbsent',
          host,
          container: `${c}-${h + 1}`,
          class: 'absent',
          severity: 'warning',
        },
        at(),
        6 * M,
        'switch-down',
      );
      add(
        { alertname: 'ErrorLogBurst', host, service: c, class: 'errors', severity: 'warning' },
        at(),
        6 * M,
        'switch-down',
      );
    }
  }

  // 2. One host's disk fills, seen by three sources.
  incidents.push({
    id: 'disk-full',
    start: 2 * M,
    mustPage: true,
    description: 'db-1 disk full (Nagios, cAdvisor, logs)',
  });
  add(
    {
      alertname: 'NagiosDiskCritical',
      host: 'db-1',
      check: 'Disk /var',
      class: 'disk_full',
      severity: 'critical',
    },
    2 * M,
    12 * M,
    'disk-full',
  );
  add(
    {
      alertname: 'ContainerFilesystemFull',
      host: 'db-1',
      container: 'postgres',
      class: 'disk_full',
      severity: 'critical',
    },
    2 * M + 7 * S,
    12 * M,
    'disk-full',
  );
  add(
    {
      alertname: 'DiskFullInLogs',
      host: 'db-1',
      service: 'postgres',
      class: 'disk_full',
      severity: 'critical',
    },
    2 * M + 15 * S,
    12 * M,
    'disk-full',
  );

  // 3. A service flaps 15 times (40 s period).
  incidents.push({
    id: 'flapping',
    start: 3 * M,
    mustPage: true,
    description: 'cart on web-50 flaps 15 times',
  });
  for (let i = 0; i < 15; i++) {
    const start = 3 * M + i * 40 * S;
    add(
      {
        alertname: 'ServiceDown',
        host: 'web-50',
        service: 'cart',
        class: 'service_down',
        severity: 'critical',
      },
      start,
      start + 20 * S,
      'flapping',
    );
  }

  // 4. Two Prometheus replicas send the same alert with a differing replica label.
  incidents.push({
    id: 'replicas',
    start: 4 * M,
    mustPage: true,
    description: 'HighLatency from two Prometheus replicas',
  });
  for (const replica of ['a', 'b']) {
    add(
      { alertname: 'HighLatency', service: 'checkout', severity: 'critical', replica },
      4 * M + (replica === 'b' ? 2 * S : 0),
      9 * M,
      'replicas',
    );
  }

  // 5. A 20-second CPU blip: not an incident.
  add({ alertname: 'CpuHigh', host: 'api-3', severity: 'warning' }, 5 * M, 5 * M + 20 * S, null);

  // 6. A long-running warning, open across both restarts.
  incidents.push({
    id: 'long-warning',
    start: 1 * M,
    mustPage: true,
    description: 'batch-1 disk usage warning, open all run',
  });
  add({ alertname: 'DiskUsageWarning', host: 'batch-1', severity: 'warning' }, 1 * M, 17 * M, 'long-warning');

  // 8. A host down late in the run.
  incidents.push({
    id: 'late-host',
    start: 14 * M,
    mustPage: true,
    description: 'web-99 down late in the run',
  });
  add(
    { alertname: 'NagiosHostDown', host: 'web-99', class: 'down', severity: 'critical' },
    14 * M,
    17 * M,
    'late-host',
  );

  // 7. Restarts while incidents are open.
  return {
    signals,
    incidents,
    parents,
    restarts: [
      { at: 8 * M, signal: 'SIGTERM' },
      { at: 11 * M, signal: 'SIGKILL' },
    ],
    duration: 18 * M,
  };
}
