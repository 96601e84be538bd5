import { fingerprintOf, type Alert } from '../../alerting/alert.ts';
import type { ManualClock } from '../../alerting/clock.ts';
import { parseAlertmanagerConfig } from '../../alerting/load-alertmanager-config.ts';
import type { Integration, Notification } from '../../notify/notification.ts';
import { DeliveryError } from '../../notify/notification.ts';
import { MemoryStateStore } from '../../state/memory/memory-state-store.ts';
import { createDefaultNoiseConfig, type NoiseConfig } from './config.ts';
import { MemoryIncidentStore } from './incident-store.ts';
import { MemoryDecisionLog } from './memory-decision-log.ts';
import { NoiseReducer, type NoiseState } from './noise-reducer.ts';

/** A receiver double: keeps every notification; can be told to fail. */
export class RecordingIntegration implements Integration {
  readonly sent: Notification[] = [];
  failures = 0;
  failRetryable = true;

  constructor(
    readonly name = 'webhook[0]',
    readonly sendResolved = true,
  ) {}

  async notify(n: Notification): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new DeliveryError('receiver down', this.failRetryable);
    }
    this.sent.push(n);
  }
}

export function testAlert(
  labels: Record<string, string>,
  clock: ManualClock,
  extra: Partial<Alert> = {},
): Alert {
  return {
    labels,
    annotations: { summary: `${labels.alertname ?? 'alert'} on ${labels.host ?? labels.service ?? '?'}` },
    startsAt: clock.now(),
    endsAt: null,
    updatedAt: clock.now(),
    generatorURL: '',
    fingerprint: fingerprintOf(labels),
    source: 'prometheus',
    ...extra,
  };
}

export function resolvedAlert(alert: Alert, clock: ManualClock): Alert {
  return { ...alert, endsAt: clock.now(), updatedAt: clock.now() };
}

export interface Harness {
  reducer: NoiseReducer;
  decisions: MemoryDecisionLog;
  incidents: MemoryIncidentStore;
  integration: RecordingIntegration;
}

/** A noise reducer on a manual clock and an in-memory state store, sending to a recording integration. */
export function harness(
  clock: ManualClock,
  yaml: string,
  options: {
    noise?: (n: NoiseConfig) => void;
    state?: NoiseState;
    replicaId?: string;
    integration?: RecordingIntegration;
    decisions?: MemoryDecisionLog;
  } = {},
): Harness {
  const noise = createDefaultNoiseConfig();
  noise.topology.parentWaitMs = 0;
  options.noise?.(noise);
  const decisions = options.decisions ?? new MemoryDecisionLog();
  const incidents = new MemoryIncidentStore();
  const integration = options.integration ?? new RecordingIntegration();
  const reducer = new NoiseReducer({
    alertmanager: parseAlertmanagerConfig(yaml),
    noise,
    clock,
    state: options.state ?? new MemoryStateStore({ now: () => clock.now() }),
    decisions,
    incidents,
    replicaId: options.replicaId ?? 'replica-a',
    externalURL: 'http://tributary.test',
    logger: { info: () => {}, error: () => {} },
    integrations: () => [integration],
  });
  return { reducer, decisions, incidents, integration };
}

export const SIMPLE_CONFIG = `
global: {resolve_timeout: 24h}
route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers: [{name: team}]
`;
