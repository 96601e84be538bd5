import type { EventKind, TributaryEvent } from '../../src/core/event.ts';
import { eventId } from '../../src/core/event-id.ts';
import { seededRandom } from '../../src/simulate/random.ts';

/**
 * A deterministic fleet of `events` events: event `i` is a pure function of (seed, i, events, time
 * span), so queries can draw real parameters (a service that has data in a window, an existing trace id,
 * an order id written in some message) without reading the store. 300 services (Zipf volume), 1,200
 * shared hosts, teams of 5 services, all five kinds, four log levels, traces of 8 consecutive events,
 * message text from templates with resource, dependency, user and order-id tokens, spread evenly over
 * the span (7 days by default) with per-host clock skew.
 */
export interface FleetSpec {
  seed: number;
  events: number;
  startMs: number;
  endMs: number;
}

export const DAY_MS = 86_400_000;
export const TRACE_LENGTH = 8;

const FIRST = ['checkout', 'payment', 'order', 'cart', 'search', 'catalog', 'user', 'auth', 'stock', 'price'];
const SECOND = [
  'api',
  'worker',
  'gateway',
  'store',
  'sync',
  'indexer',
  'scheduler',
  'proxy',
  'ledger',
  'notifier',
  'importer',
  'exporter',
  'cache',
  'feed',
  'router',
  'audit',
  'billing',
  'events',
  'mailer',
  'reports',
  'queue',
  'web',
  'admin',
  'mobile',
  'batch',
  'stream',
  'resolver',
  'planner',
  'tracker',
  'archiver',
];
/** 300 services, alphabetical; index in this list = Zipf rank after a fixed shuffle (see `rankOf`). */
export const SERVICES: readonly string[] = FIRST.flatMap((a) => SECOND.map((b) => `${a}-${b}`)).sort();
export const HOSTS = 1200;
export const TEAM_SIZE = 5;

const RESOURCES = [
  'orders',
  'carts',
  'users',
  'payments',
  'invoices',
  'products',
  'sessions',
  'tokens',
  'shipments',
  'refunds',
  'coupons',
  'reviews',
  'accounts',
  'addresses',
  'prices',
  'wishlists',
  'returns',
  'subscriptions',
  'transfers',
  'bookings',
];
const DEPENDENCIES = [
  'redis',
  'postgres',
  'kafka',
  'mysql',
  'memcached',
  's3',
  'ldap',
  'smtp',
  'vault',
  'stripe',
];
const VERBS = ['created', 'updated', 'shipped', 'cancelled', 'approved', 'archived'];
const REASONS = ['insufficient_funds', 'expired_card', 'fraud_suspected', 'limit_exceeded'];
const METRICS = [
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
  'container_network_receive_bytes_total',
  'container_network_transmit_bytes_total',
  'container_fs_usage_bytes',
];
const ALERTS = ['HighErrorRate', 'HighLatency', 'PodCrashLooping', 'DiskAlmostFull'];

/** Word pairs a person searches for; each pair occurs together in one template. */
export const TWO_WORD_QUERIES: readonly string[] = [
  'upstream timeout',
  'connection refused',
  'cache miss',
  'payment declined',
  'slow query',
  'pool exhausted',
  'redis timeout',
  'postgres refused',
];
/** Single words between about 0.1% and 10% of the messages. */
export const COMMON_WORDS: readonly string[] = [
  'timeout',
  'refused',
  'retrying',
  'declined',
  'exhausted',
  'slow',
  'miss',
  'cancelled',
  'HighLatency',
  'DISK',
];

const SKEW_MS = Array.from({ length: HOSTS }, (_, h) => Math.round((seededRandom(h + 1)() * 2 - 1) * 300));

/** Zipf(0.9) over the 300 services, cumulative; a fixed shuffle decides which name gets which rank. */
const RANKED = shuffled(SERVICES, 42);
const CUMULATIVE = (() => {
  const weights = RANKED.map((_, rank) => 1 / (rank + 1) ** 0.9);
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  return weights.map((w) => (sum += w / total));
})();

export function serviceShare(service: string): number {
  const rank = RANKED.indexOf(service);
  return (CUMULATIVE[rank] ?? 0) - (CUMULATIVE[rank - 1] ?? 0);
}

/** The hosts a service runs on: 2 to 12 (more for bigger services), shared with other services. */
export function hostsOf(service: string): readonly string[] {
  let hosts = HOSTS_OF.get(service);
  if (hosts === undefined) {
    hosts = computeHostsOf(service);
    HOSTS_OF.set(service, hosts);
  }
  return hosts;
}

const HOSTS_OF = new Map<string, string[]>();

function computeHostsOf(service: string): string[] {
  const rank = RANKED.indexOf(service);
  const count = Math.max(2, 12 - Math.floor(rank / 25));
  const index = SERVICES.indexOf(service);
  return Array.from({ length: count }, (_, k) => hostName((index * 7 + k * 131) % HOSTS));
}

export function teamOf(service: string): string {
  return `team-${Math.floor(SERVICES.indexOf(service) / TEAM_SIZE)}`;
}

export function servicesOfTeam(team: string): string[] {
  const t = Number(team.slice('team-'.length));
  return SERVICES.slice(t * TEAM_SIZE, t * TEAM_SIZE + TEAM_SIZE);
}

export function traceIdOf(spec: FleetSpec, trace: number): string {
  return hex32(`${spec.seed}:trace:${trace}`);
}

/** The order id written in the messages of trace `trace`: a rare token (at most 8 events). */
export function orderIdOf(trace: number): string {
  return `ord${((trace * 2654435761) % 4294967296).toString(36)}`;
}

export function timeOfIndex(spec: FleetSpec, i: number): number {
  return spec.startMs + ((i + 0.5) * (spec.endMs - spec.startMs)) / spec.events;
}

/** What event `i` is, before its text is rendered: queries draw their parameters from these. */
export interface EventShape {
  kind: EventKind;
  service: string;
  host: string;
  trace: number;
  level: string | null;
  timeMs: number;
}

export function shapeOf(spec: FleetSpec, i: number): EventShape {
  const random = seededRandom(mix(spec.seed, i));
  const service = RANKED[lowerBound(CUMULATIVE, random())] as string;
  const hosts = hostsOf(service);
  const host = hosts[Math.floor(random() * hosts.length)] as string;
  const k = random();
  const kind: EventKind =
    k < 0.65 ? 'log' : k < 0.85 ? 'span' : k < 0.95 ? 'metric' : k < 0.99 ? 'check' : 'alert';
  const l = random();
  const level = kind !== 'log' ? null : l < 0.15 ? 'debug' : l < 0.8 ? 'info' : l < 0.95 ? 'warn' : 'error';
  const skew = SKEW_MS[Number(host.slice(5))] ?? 0;
  return {
    kind,
    service,
    host,
    trace: Math.floor(i / TRACE_LENGTH),
    level,
    timeMs: timeOfIndex(spec, i) + skew,
  };
}

export function eventAt(spec: FleetSpec, i: number): TributaryEvent {
  const shape = shapeOf(spec, i);
  const random = seededRandom(mix(spec.seed ^ 0x5bd1e995, i));
  const time = fastInstant(shape.timeMs);
  const traced = (shape.kind === 'log' || shape.kind === 'span') && random() < 0.85;
  const spanId = randomHex(random) + randomHex(random);
  const envelope = {
    id: eventId('bench-audit-queries', spec.seed, i),
    service: shape.service,
    host: shape.host,
    container: containerOf(shape.service, shape.host),
    time,
    timestamp: time.slice(0, 23) + 'Z',
    sourceKey: `${shape.host}:/var/log/${shape.service}/app.log`,
    sequence: String(i),
    trace: traced ? { traceId: cachedTraceId(spec, shape.trace), spanId } : null,
  };
  const words = { random, trace: shape.trace, service: shape.service };
  switch (shape.kind) {
    case 'log':
      return {
        ...envelope,
        kind: 'log',
        source: random() < 0.8 ? 'logstash' : 'otlp',
        level: shape.level,
        message: logMessage(shape.level ?? 'info', words),
        attributes: {
          logger: `com.shop.${shape.service.replace('-', '.')}.Handler`,
          thread: `http-nio-8080-exec-${Math.floor(random() * 200)}`,
          'log.file.path': `/var/log/${shape.service}/app.log`,
        },
      };
    case 'span': {
      const durationMs = Math.round(random() * random() * 2000 * 1000) / 1000;
      const name =
        random() < 0.6 ? `GET /api/v1/${pick(random, RESOURCES)}` : `${pick(random, DEPENDENCIES)} query`;
      return {
        ...envelope,
        kind: 'span',
        source: random() < 0.7 ? 'otlp' : 'pinpoint',
        name,
        spanKind: random() < 0.5 ? 'server' : 'client',
        endTime: fastInstant(shape.timeMs + durationMs),
        durationMs,
        status: random() < 0.03 ? 'error' : 'ok',
        message: name,
        attributes: { 'http.status_code': random() < 0.03 ? 500 : 200 },
      };
    }
    case 'metric': {
      const name = pick(random, METRICS);
      const value = Math.round(random() * 1e9);
      return {
        ...envelope,
        kind: 'metric',
        source: 'cadvisor',
        trace: null,
        name,
        value,
        labels: { container_label_app: shape.service, instance: shape.host },
        metricType: name.endsWith('_total') ? 'counter' : 'gauge',
        message: `${name}{container_label_app="${shape.service}"} ${value}`,
        attributes: {},
      };
    }
    case 'check': {
      const status = random() < 0.9 ? 0 : random() < 0.7 ? 1 : 2;
      const output =
        status === 0
          ? `HTTP OK: HTTP/1.1 200 OK - ${Math.floor(random() * 9000)} bytes in 0.0${Math.floor(random() * 90) + 10} second response time`
          : `DISK ${status === 1 ? 'WARNING' : 'CRITICAL'} - free space: / ${Math.floor(random() * 900)} MB (${status === 1 ? 8 : 2}%)`;
      return {
        ...envelope,
        kind: 'check',
        source: 'nagios',
        trace: null,
        checkHost: shape.host,
        checkService: status === 0 ? 'HTTP' : 'Disk',
        status,
        stateType: 'HARD',
        attempt: 1,
        maxAttempts: 3,
        output,
        longOutput: '',
        perfdata: [],
        message: output,
        attributes: {},
      };
    }
    case 'alert': {
      const name = pick(random, ALERTS);
      return {
        ...envelope,
        kind: 'alert',
        source: 'prometheus',
        trace: null,
        name,
        status: random() < 0.7 ? 'firing' : 'resolved',
        labels: {
          alertname: name,
          service: shape.service,
          severity: random() < 0.3 ? 'critical' : 'warning',
        },
        annotations: { summary: `${name} on ${shape.service}` },
        endsAt: null,
        message: `${name} on ${shape.service} (${shape.host})`,
        attributes: {},
      };
    }
  }
}

function logMessage(level: string, w: { random: () => number; trace: number; service: string }): string {
  const { random } = w;
  const resource = pick(random, RESOURCES);
  const dep = pick(random, DEPENDENCIES);
  const ms = Math.floor(random() * random() * 3000);
  const order = orderIdOf(w.trace);
  const user = `u${Math.floor(random() * 50_000)}`;
  const t = Math.floor(random() * 4);
  switch (level) {
    case 'debug':
      return [
        `cache miss for ${resource}:${order}`,
        `calling ${dep} with timeout ${ms} ms`,
        `select from ${resource} rows=${Math.floor(random() * 100)} took ${ms} ms`,
        `session ${user} refreshed token`,
      ][t] as string;
    case 'warn':
      return [
        `slow query on ${resource} took ${ms} ms`,
        `retrying ${dep} call attempt ${1 + Math.floor(random() * 4)} of 5`,
        `pool ${dep} exhausted waiting ${ms} ms`,
        `deprecated endpoint /api/v0/${resource} called by ${user}`,
      ][t] as string;
    case 'error':
      return [
        `request failed: upstream ${dep} timeout after ${ms} ms (order ${order})`,
        `connection to ${dep} refused`,
        `payment declined for order ${order} reason ${pick(random, REASONS)}`,
        `unhandled exception NullPointerException in ${resource} handler`,
      ][t] as string;
    default:
      return [
        `GET /api/v1/${resource}/${order} 200 in ${ms} ms`,
        `POST /api/v1/${resource} 201 in ${ms} ms user=${user}`,
        `${resource} ${order} ${pick(random, VERBS)} by user ${user}`,
        `consumer lag for topic ${resource}-events is ${Math.floor(random() * 500)}`,
      ][t] as string;
  }
}

/** `instantFromUnixMillis` to the microsecond, without BigInt: the loader formats 20 million of these. */
function fastInstant(ms: number): string {
  const total = Math.round(ms * 1000);
  const whole = Math.floor(total / 1000);
  const micros = total - whole * 1000;
  return `${new Date(whole).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}000Z`;
}

const containers = new Map<string, string>();
function containerOf(service: string, host: string): string {
  const key = `${host}:${service}`;
  let name = containers.get(key);
  if (name === undefined) {
    name = `${service}.${hex32(key).slice(0, 8)}`;
    containers.set(key, name);
  }
  return name;
}

let lastTrace: { seed: number; trace: number; id: string } | null = null;
function cachedTraceId(spec: FleetSpec, trace: number): string {
  if (lastTrace?.trace !== trace || lastTrace.seed !== spec.seed)
    lastTrace = { seed: spec.seed, trace, id: traceIdOf(spec, trace) };
  return lastTrace.id;
}

function randomHex(random: () => number): string {
  return Math.floor(random() * 0x100000000)
    .toString(16)
    .padStart(8, '0');
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function hostName(n: number): string {
  return `node-${String(n).padStart(4, '0')}`;
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 1) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A 32-bit seed from (seed, i) with good spread (murmur3 finalizer). */
function mix(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** 32 lowercase hex digits derived from `text` (FNV-1a variants, fast; not cryptographic). */
function hex32(text: string): string {
  let out = '';
  for (let round = 0; round < 4; round++) {
    let h = (0x811c9dc5 ^ round) >>> 0;
    for (let c = 0; c < text.length; c++) h = Math.imul(h ^ text.charCodeAt(c), 0x01000193);
    out += (mix(h >>> 0, round) >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
