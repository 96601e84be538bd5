import { hex, pick, seededRandom } from './random.ts';

/**
 * A small simulated fleet emitting Logstash-style events: several services on several hosts, requests
 * that cross them (gateway -> checkout -> payments / inventory), and host clocks that disagree by up to
 * `skewMs`. Each event is what Logstash's http output would send (ECS shape), with the true time kept
 * aside so ordering can be judged.
 */
export interface FleetOptions {
  seed: number;
  requests: number;
  skewMs: number;
  /** Simulated start, epoch ms. */
  startMs: number;
}

export interface SimulatedLog {
  /** The record as Logstash sends it. */
  record: Record<string, unknown>;
  trueTimeMs: number;
}

const TOPOLOGY: readonly { service: string; hosts: readonly string[]; calls: readonly string[] }[] = [
  { service: 'gateway', hosts: ['edge-1', 'edge-2'], calls: ['checkout'] },
  { service: 'checkout', hosts: ['app-1', 'app-2'], calls: ['payments', 'inventory'] },
  { service: 'payments', hosts: ['app-3'], calls: [] },
  { service: 'inventory', hosts: ['db-1'], calls: [] },
];

export function simulateLogstashFleet(options: FleetOptions): SimulatedLog[] {
  const random = seededRandom(options.seed);
  const hosts = TOPOLOGY.flatMap((t) => t.hosts);
  const offsets = new Map(hosts.map((h) => [h, Math.round((random() * 2 - 1) * options.skewMs)]));
  const offsetsOfFile = new Map<string, number>();
  const out: SimulatedLog[] = [];
  const emit = (
    service: string,
    host: string,
    t: number,
    level: string,
    message: string,
    traceId: string,
    spanId: string,
  ): void => {
    const file = `/var/log/${service}/app.log`;
    const key = `${host}:${file}`;
    const offset = (offsetsOfFile.get(key) ?? 0) + 1;
    offsetsOfFile.set(key, offset);
    const stamped = new Date(t + (offsets.get(host) ?? 0)).toISOString();
    out.push({
      trueTimeMs: t,
      record: {
        '@timestamp': stamped,
        '@version': '1',
        message: `${stamped.slice(0, 23).replace('T', ' ')} ${level.toUpperCase()} [${service}] ${message}`,
        host: { name: host },
        service: { name: service },
        log: { level, file: { path: file }, offset },
        trace: { id: traceId },
        span: { id: spanId },
      },
    });
  };
  const call = (service: string, t: number, traceId: string, depth: number): number => {
    const node = TOPOLOGY.find((x) => x.service === service);
    if (!node) return t;
    const host = pick(random, node.hosts);
    const spanId = hex(random, 16);
    emit(service, host, t, 'info', `handling request (depth ${depth})`, traceId, spanId);
    let now = t + 1 + random() * 5;
    for (const callee of node.calls) {
      if (random() < 0.3 && node.calls.length > 1) continue;
      emit(service, host, now, 'debug', `calling ${callee}`, traceId, spanId);
      now = call(callee, now + 2 + random() * 10, traceId, depth + 1) + 2 + random() * 10;
    }
    const failed = random() < 0.05;
    emit(
      service,
      host,
      now,
      failed ? 'error' : 'info',
      failed
        ? `request failed: upstream timeout after ${Math.round(now - t)} ms`
        : `done in ${Math.round(now - t)} ms`,
      traceId,
      spanId,
    );
    return now + 1;
  };
  let t = options.startMs;
  for (let i = 0; i < options.requests; i++) {
    call('gateway', t, hex(random, 32), 0);
    t += 5 + random() * 50;
  }
  return out;
}
