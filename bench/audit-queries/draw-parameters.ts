import type { EventKind } from '../../src/core/event.ts';
import { instantFromUnixMillis } from '../../src/core/time.ts';
import {
  COMMON_WORDS,
  TWO_WORD_QUERIES,
  orderIdOf,
  servicesOfTeam,
  shapeOf,
  teamOf,
  traceIdOf,
  type FleetSpec,
} from './fleet.ts';

const HOUR_MS = 3_600_000;

/**
 * Parameters of one query run, drawn from a random stored event: its service, host, kind, trace, order
 * id and a one-hour window around its time. Busy services are drawn more often, as people look at
 * what has traffic; every drawn value exists in the data.
 */
export interface Drawn {
  service: string;
  host: string;
  kind: EventKind;
  traceId: string;
  orderId: string;
  team: string;
  services: string[];
  from: string;
  to: string;
  commonWord: string;
  twoWords: string;
}

export function draw(spec: FleetSpec, random: () => number): Drawn {
  const i = Math.floor(random() * spec.events);
  const shape = shapeOf(spec, i);
  const fromMs = Math.max(spec.startMs, Math.min(spec.endMs - HOUR_MS, shape.timeMs - random() * HOUR_MS));
  const team = teamOf(shape.service);
  return {
    service: shape.service,
    host: shape.host,
    kind: shape.kind,
    traceId: traceIdOf(spec, shape.trace),
    orderId: orderIdOf(shape.trace),
    team,
    services: servicesOfTeam(team),
    from: instant(fromMs),
    to: instant(fromMs + HOUR_MS),
    commonWord: COMMON_WORDS[Math.floor(random() * COMMON_WORDS.length)] as string,
    twoWords: TWO_WORD_QUERIES[Math.floor(random() * TWO_WORD_QUERIES.length)] as string,
  };
}

/** A window of `fraction` of [fromMs, toMs) at a random place. */
export function window(
  random: () => number,
  fromMs: number,
  toMs: number,
  fraction: number,
): { from: string; to: string } {
  const width = (toMs - fromMs) * fraction;
  const start = fromMs + random() * (toMs - fromMs - width);
  return { from: instant(start), to: instant(start + width) };
}

function instant(ms: number): string {
  return instantFromUnixMillis(Math.round(ms)) as string;
}
