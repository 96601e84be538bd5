import type { Router } from 'express';
import type { Logger } from 'pino';
import type { TeamServices } from '../api/auth/team-scope.ts';
import { createAlerting } from '../alerting/create-alerting.ts';
import { replicaIdOf, resolveRulesDir } from '../alerting/config.ts';
import { loadAlertmanagerConfigFile } from '../alerting/load-alertmanager-config.ts';
import { loadRulesDir } from '../alerting/load-rules.ts';
import { alertRoutes } from '../alerting/routes/alert-routes.ts';
import { silenceRoutes } from '../alerting/routes/silence-routes.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { TributaryConfig } from '../config/schema.ts';
import type { TributaryEvent } from '../core/event.ts';
import type { Component } from '../core/lifecycle.ts';
import type { StateBackend } from '../state/state-store.ts';
import { SqliteDecisionLog } from '../stages/reduce-noise/sqlite-decision-log.ts';
import { SqliteIncidentStore } from '../stages/reduce-noise/sqlite-incident-store.ts';
import type { SqliteDatabase } from '../store/sqlite/open-database.ts';

export interface AlertingWiring {
  /** Every stored batch goes through the rules and the noise reducer. */
  consume(events: readonly TributaryEvent[]): Promise<void>;
  /** In shutdown order (the evaluator stops emitting, then the reducer flushes). */
  components: Component[];
  routes(servicesOfTeam: TeamServices): Router[];
}

/**
 * Rules -> alerts -> noise reduction -> receivers, with decisions in the audit trail. alertmanager.yml
 * and the rules directory are read at start; a broken one stops the start with every problem listed.
 */
export function buildAlerting(
  config: TributaryConfig,
  deps: { db: SqliteDatabase; state: StateBackend; audit: AuditLog; logger: Logger },
): AlertingWiring {
  const alerting = createAlerting({
    alertmanager: loadAlertmanagerConfigFile(config.alerting.alertmanagerConfig ?? null),
    rules: loadRulesDir(resolveRulesDir(config.alerting.rulesDir)),
    state: deps.state,
    audit: deps.audit,
    replicaId: replicaIdOf(config.alerting),
    externalURL: config.alerting.externalUrl ?? `http://${config.server.host}:${config.server.port}`,
    logger: deps.logger,
    decisions: new SqliteDecisionLog(deps.db),
    incidents: new SqliteIncidentStore(deps.db),
  });
  return {
    consume: async (events) => {
      await alerting.consume(events);
    },
    // createAlerting lists start order (reducer first); the service stops in list order.
    components: [...alerting.components].reverse(),
    routes: (servicesOfTeam) => [
      silenceRoutes({ silences: alerting.reducer.silences, audit: deps.audit, servicesOfTeam }),
      alertRoutes({ incidents: alerting.incidents, decisions: alerting.decisions, servicesOfTeam }),
    ],
  };
}
