import { ConfigError } from '../../alerting/config-error.ts';
import { parseMatchers, type Matcher } from '../../alerting/matchers.ts';
import type { NoiseInput } from '../../alerting/rules-schema.ts';
import { DEFAULT_FLAP_THRESHOLDS, type FlapThresholds } from './flap-detector.ts';
import { DEFAULT_MERGE_CONFIG, type MergeConfig } from './incident-merger.ts';
import { parentsFromNagiosObjects } from './topology.ts';

/** Tributary's noise reduction beyond Alertmanager (rules/noise.yaml `noise:`), every default here. */
export interface NoiseConfig {
  merge: MergeConfig;
  topology: {
    parents: ReadonlyMap<string, readonly string[]>;
    /** Alerts meaning "the host is down". */
    downMatchers: readonly Matcher[];
    parentWaitMs: number;
  };
  /** Per alert (every source). */
  flap: FlapThresholds;
  /** Per aggregation group. */
  groupFlap: FlapThresholds;
  notify: {
    /** Each flush's deliveries (with retries) end by this. */
    timeoutMs: number;
    initialBackoffMs: number;
    maxBackoffMs: number;
    /** A claim's lease; longer than `timeoutMs` so no other replica takes over a live send. */
    leaseMs: number;
  };
  /** How often flap state is sampled and old incidents forgotten. */
  tickMs: number;
}

export function createDefaultNoiseConfig(): NoiseConfig {
  return {
    merge: DEFAULT_MERGE_CONFIG,
    topology: {
      parents: new Map(),
      downMatchers: [{ name: 'class', type: '=', value: 'down' }],
      parentWaitMs: 10_000,
    },
    flap: DEFAULT_FLAP_THRESHOLDS,
    groupFlap: DEFAULT_FLAP_THRESHOLDS,
    notify: { timeoutMs: 60_000, initialBackoffMs: 1000, maxBackoffMs: 30_000, leaseMs: 120_000 },
    tickMs: 10_000,
  };
}

/** The `noise:` section of the rule files over the defaults; `readFile` reads nagios_objects. */
export function noiseConfigFromInput(
  input: NoiseInput | null,
  readFile: (path: string) => string,
): NoiseConfig {
  const config = createDefaultNoiseConfig();
  if (!input) return config;
  const parents = new Map<string, readonly string[]>();
  if (input.topology.nagios_objects) {
    let text: string;
    try {
      text = readFile(input.topology.nagios_objects);
    } catch (err) {
      throw new ConfigError(
        `noise.topology.nagios_objects: cannot read ${input.topology.nagios_objects}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
    for (const [host, list] of parentsFromNagiosObjects(text)) parents.set(host, list);
  }
  for (const [host, list] of Object.entries(input.topology.parents)) parents.set(host, list);
  return {
    ...config,
    merge: { classes: input.merge.classes, ignoreLabels: input.merge.ignore_labels },
    topology: {
      parents,
      downMatchers: input.topology.down_matchers.flatMap(parseMatchers),
      parentWaitMs: input.topology.parent_wait,
    },
    flap: { low: input.flap.low, high: input.flap.high, sampleIntervalMs: input.flap.sample_interval },
    groupFlap: { low: input.flap.low, high: input.flap.high, sampleIntervalMs: input.flap.sample_interval },
    notify: {
      timeoutMs: input.notify.timeout,
      initialBackoffMs: input.notify.initial_backoff,
      maxBackoffMs: input.notify.max_backoff,
      leaseMs: input.notify.lease,
    },
    tickMs: input.tick_interval,
  };
}
