import { Counter, type Registry } from 'prom-client';

/**
 * Every component reports the same four things the same way (received / sent / rejected{reason} / errors),
 * so one dashboard reads them all. A component gets a `ComponentCounters` bound to its name.
 */
export interface ComponentCounters {
  received(n?: number): void;
  sent(n?: number): void;
  rejected(reason: string, n?: number): void;
  error(n?: number): void;
}

export interface PipelineMetrics {
  forComponent(component: string): ComponentCounters;
}

/** prom-client backed counters registered on `registry`. */
export function createPipelineMetrics(registry: Registry): PipelineMetrics {
  const received = new Counter({
    name: 'tributary_events_received_total',
    help: 'Records received by a component.',
    labelNames: ['component'],
    registers: [registry],
  });
  const sent = new Counter({
    name: 'tributary_events_sent_total',
    help: 'Events a component passed on (sources: accepted; sinks: durably stored).',
    labelNames: ['component'],
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'tributary_events_rejected_total',
    help: 'Records rejected and kept as dead letters, by source and reason.',
    labelNames: ['source', 'reason'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'tributary_component_errors_total',
    help: 'Errors a component met (failed writes, failed requests), not counting rejected input.',
    labelNames: ['component'],
    registers: [registry],
  });
  return {
    forComponent(component) {
      return {
        received: (n = 1) => received.inc({ component }, n),
        sent: (n = 1) => sent.inc({ component }, n),
        rejected: (reason, n = 1) => rejected.inc({ source: component, reason }, n),
        error: (n = 1) => errors.inc({ component }, n),
      };
    },
  };
}
