import cliProgress from 'cli-progress';
import type { TributaryEvent } from '../../src/core/event.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { eventAt, type FleetSpec } from './fleet.ts';

export interface LoadReport {
  /** Events appended in this run (0 when the dataset was already complete). */
  appended: number;
  seconds: number;
  /** Appended events per second over this run. */
  perSecond: number;
}

/**
 * Appends events `from`..`spec.events - 1` through the store's own `append`, `batch` at a time, one call
 * in flight (as the pipeline's store sink does) while the next batch is generated. `append` is
 * idempotent by event id, so resuming an interrupted load from a little before where it stopped is safe.
 */
export async function loadEvents(
  store: EventStore,
  spec: FleetSpec,
  from: number,
  options: { batch: number; label: string },
): Promise<LoadReport> {
  const total = spec.events;
  if (from >= total) return { appended: 0, seconds: 0, perSecond: 0 };
  const bar = new cliProgress.SingleBar(
    {
      format: `${options.label} |{bar}| {percentage}% {value}/{total} events, {rate}/s, eta {eta_formatted}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 15_000,
      etaBuffer: 50,
      fps: 2,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, from, { rate: '-' });
  const started = performance.now();
  let inFlight: Promise<unknown> = Promise.resolve();
  for (let i = from; i < total; i += options.batch) {
    const events: TributaryEvent[] = [];
    for (let j = i; j < Math.min(total, i + options.batch); j++) events.push(eventAt(spec, j));
    await inFlight;
    const done = i - from;
    bar.update(i, { rate: Math.round(done / ((performance.now() - started) / 1000 || 1)) });
    inFlight = store.append(events);
  }
  await inFlight;
  const seconds = (performance.now() - started) / 1000;
  bar.update(total, { rate: Math.round((total - from) / seconds) });
  bar.stop();
  return { appended: total - from, seconds, perSecond: (total - from) / seconds };
}
