import type { Alert } from '../../alerting/alert.ts';
import type { TributaryEvent } from '../../core/event.ts';

/** One compiled rule. `onEvent` sees every event (and ignores those not its kind); `tick` lets time act. */
export interface RuleRunner {
  onEvent(event: TributaryEvent, now: number): Alert[];
  tick(now: number): Alert[];
}

export function entityLabels(e: {
  host: string | null;
  container: string | null;
  service: string | null;
}): Record<string, string> {
  const out: Record<string, string> = {};
  if (e.host) out.host = e.host;
  if (e.container) out.container = e.container;
  if (e.service) out.service = e.service;
  return out;
}

export function entityKey(e: {
  host: string | null;
  container: string | null;
  service: string | null;
}): string {
  return `${e.host ?? ''}\u0000${e.container ?? ''}\u0000${e.container ? '' : (e.service ?? '')}`;
}

export function compare(value: number, op: string, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    default:
      return value !== threshold;
  }
}
