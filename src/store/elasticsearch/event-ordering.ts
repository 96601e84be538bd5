import type { TributaryEvent } from '../../core/event.ts';
import { ORDER_KEY_PATTERN, timeOrderKey, type EventOrdering } from '../event-store.ts';

/** The ordering an event is stored with: the one given for it when well-formed, else its own time. */
export function orderingFor(
  event: TributaryEvent,
  orderings: ReadonlyMap<string, EventOrdering> | undefined,
): EventOrdering {
  const given = orderings?.get(event.id);
  return given && ORDER_KEY_PATTERN.test(given.key) ? cleanOrdering(given) : defaultOrdering(event.time);
}

export function defaultOrdering(time: string): EventOrdering {
  return { key: timeOrderKey(time), offsetMs: null, errorMs: null, late: false, forced: false, final: false };
}

/** Exactly the six fields, non-finite numbers as null (as the SQLite store keeps them). */
export function cleanOrdering(ordering: EventOrdering): EventOrdering {
  return {
    key: ordering.key,
    offsetMs: finiteOrNull(ordering.offsetMs),
    errorMs: finiteOrNull(ordering.errorMs),
    late: ordering.late === true,
    forced: ordering.forced === true,
    final: ordering.final === true,
  };
}

function finiteOrNull(value: number | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
