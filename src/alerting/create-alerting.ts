import { readFileSync } from 'node:fs';
import type { AuditLog } from '../audit/audit-log.ts';
import type { TributaryEvent } from '../core/event.ts';
import type { Component } from '../core/lifecycle.ts';
import { RuleEvaluator } from '../stages/evaluate-rules/rule-evaluator.ts';
import { auditedDecisions } from '../stages/reduce-noise/audited-decisions.ts';
import { noiseConfigFromInput } from '../stages/reduce-noise/config.ts';
import type { DecisionReader, DecisionRecorder } from '../stages/reduce-noise/decision.ts';
import {
  MemoryIncidentStore,
  type IncidentReader,
  type IncidentSink,
} from '../stages/reduce-noise/incident-store.ts';
import { MemoryDecisionLog } from '../stages/reduce-noise/memory-decision-log.ts';
import { NoiseReducer, type NoiseState } from '../stages/reduce-noise/noise-reducer.ts';
import { systemClock, type Clock } from './clock.ts';
import type { AlertmanagerConfig } from './load-alertmanager-config.ts';
import type { RuleSet } from './load-rules.ts';

export interface AlertingDeps {
  alertmanager: AlertmanagerConfig;
  rules: RuleSet;
  /** The shared state store (StateBackend: Redis, SQLite or memory). */
  state: NoiseState;
  audit: Pick<AuditLog, 'append'>;
  replicaId: string;
  externalURL: string;
  logger: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  clock?: Clock;
  decisions?: DecisionRecorder & DecisionReader;
  incidents?: IncidentSink & IncidentReader;
}

export interface Alerting {
  /** Feed every event batch here (after intake): rules turn them into alerts for the noise reducer. */
  consume(events: readonly TributaryEvent[]): Promise<void>;
  /** Start in this order (reducer first: it restores open alerts before rules emit). Shut down reversed. */
  components: readonly Component[];
  reducer: NoiseReducer;
  evaluator: RuleEvaluator;
  decisions: DecisionReader;
  incidents: IncidentReader;
}

/**
 * The alerting subgraph: rules -> noise reduction -> receivers, every decision to the audit trail and
 * the query stores. The pipeline wiring calls this once and hands `consume` every batch of events.
 */
export function createAlerting(deps: AlertingDeps): Alerting {
  const clock = deps.clock ?? systemClock;
  const decisions = deps.decisions ?? new MemoryDecisionLog();
  const incidents = deps.incidents ?? new MemoryIncidentStore();
  for (const warning of deps.alertmanager.warnings)
    deps.logger.warn({ origin: deps.alertmanager.origin }, warning);
  const reducer = new NoiseReducer({
    alertmanager: deps.alertmanager,
    noise: noiseConfigFromInput(deps.rules.noise, (path) => readFileSync(path, 'utf8')),
    clock,
    state: deps.state,
    decisions: auditedDecisions(deps.audit, decisions, deps.replicaId, (err, d) =>
      deps.logger.error({ err, decision: d.decision }, 'audit append failed for a notification decision'),
    ),
    incidents,
    replicaId: deps.replicaId,
    externalURL: deps.externalURL,
    logger: deps.logger,
  });
  const evaluator = new RuleEvaluator({
    rules: deps.rules,
    clock,
    onAlerts: (alerts) => reducer.receive(alerts),
    onError: (err) => deps.logger.error({ err }, 'rule tick failed'),
  });
  return {
    consume: (events) => evaluator.consume(events),
    components: [reducer, evaluator],
    reducer,
    evaluator,
    decisions,
    incidents,
  };
}
