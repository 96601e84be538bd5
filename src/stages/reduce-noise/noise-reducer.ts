import { entityOf, isResolved, type Alert } from '../../alerting/alert.ts';
import type { Clock, TimerHandle } from '../../alerting/clock.ts';
import type { AlertmanagerConfig } from '../../alerting/load-alertmanager-config.ts';
import { allOf } from '../../alerting/matchers.ts';
import type { Component } from '../../core/lifecycle.ts';
import type { Integration, Notification, RelatedAlert } from '../../notify/notification.ts';
import { buildIntegrations } from '../../notify/build-integrations.ts';
import type { ClaimResult } from '../../state/state-store.ts';
import type { AggregationGroup } from './aggregation-group.ts';
import { AlertRegistry } from './alert-registry.ts';
import type { NoiseConfig } from './config.ts';
import type { DecisionRecorder } from './decision.ts';
import { DecisionMemo } from './decision-memo.ts';
import { dedupStage, servicesOf } from './dedup-stage.ts';
import { Dispatcher } from './dispatcher.ts';
import { FlapDetector, type FlapState } from './flap-detector.ts';
import { IncidentMerger, incidentAlert, incidentFiring, type Incident } from './incident-merger.ts';
import type { IncidentRecord, IncidentSink } from './incident-store.ts';
import { Inhibitor } from './inhibitor.ts';
import { muteStage } from './mute-stage.ts';
import { NotificationLedger } from './notification-ledger.ts';
import { notifiedAlert } from './notified-alerts.ts';
import { sendStage } from './send-stage.ts';
import { Silences } from './silences.ts';
import { multiStage, type NotifyContext, type Stage } from './stage.ts';
import { timeIntervalStage } from './time-interval-stage.ts';
import { Topology } from './topology.ts';

const FLAPS_KEY = 'flaps:v1';

function parseFlapState(raw: string): FlapState | null {
  try {
    const v = JSON.parse(raw) as FlapState;
    return Array.isArray(v.history) && typeof v.lastSampleAt === 'number' && typeof v.flapping === 'boolean'
      ? v
      : null;
  } catch {
    return null;
  }
}

/** The shared state the noise reducer needs (any StateStore: memory, SQLite, Redis). */
export interface NoiseState {
  get(key: string): Promise<string | null>;
  compareAndSet(key: string, expected: string | null, next: string, ttlMs?: number): Promise<boolean>;
  claim(key: string, owner: string, ttlMs: number): Promise<ClaimResult>;
  recordOnce(key: string, value: string, ttlMs?: number): Promise<boolean>;
  hset(key: string, fields: Readonly<Record<string, string>>, ttlMs?: number): Promise<void>;
  hgetall(key: string): Promise<Record<string, string>>;
}

export interface NoiseReducerDeps {
  alertmanager: AlertmanagerConfig;
  noise: NoiseConfig;
  clock: Clock;
  state: NoiseState;
  decisions: DecisionRecorder;
  incidents: IncidentSink;
  /** Unique per process (e.g. `${hostname}:${pid}`, or a stable TRIBUTARY_REPLICA_ID). */
  replicaId: string;
  /** Link to this Tributary in notifications (`externalURL`). */
  externalURL: string;
  logger: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Override the integrations built from the receivers (tests). */
  integrations?: (receiver: string) => readonly Integration[];
}

/**
 * Alerts in, notifications out: cross-source merge into incidents, flap detection per alert and per
 * group, routing and grouping with Alertmanager's timers, inhibition, time intervals, silences, topology
 * suppression, and the ledger that lets exactly one replica send each notification.
 */
export class NoiseReducer implements Component {
  readonly name = 'noise-reducer';
  readonly silences: Silences;
  private readonly registry: AlertRegistry;
  private readonly merger: IncidentMerger;
  private readonly dispatcher: Dispatcher;
  private readonly inhibitor: Inhibitor;
  private readonly topology: Topology;
  private readonly flaps: FlapDetector;
  private readonly flapStates = new Map<string, FlapState>();
  private readonly memo: DecisionMemo;
  private readonly pipeline: Stage;
  private readonly integrationsByReceiver = new Map<string, readonly Integration[]>();
  private ticker: TimerHandle | null = null;
  private started = false;
  private stopping: Promise<void> | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: NoiseReducerDeps) {
    const { alertmanager, noise, clock, state } = deps;
    this.registry = new AlertRegistry(state);
    this.merger = new IncidentMerger(noise.merge);
    this.silences = new Silences(state, clock);
    this.inhibitor = new Inhibitor(alertmanager.inhibitRules);
    this.topology = new Topology({
      parents: noise.topology.parents,
      isDown: allOf(noise.topology.downMatchers),
      parentWaitMs: noise.topology.parentWaitMs,
    });
    this.memo = new DecisionMemo(deps.decisions);
    this.flaps = new FlapDetector(noise.flap);
    for (const [name, receiver] of alertmanager.receivers) {
      this.integrationsByReceiver.set(name, deps.integrations?.(name) ?? buildIntegrations(receiver));
    }
    const ledger = new NotificationLedger(state, {
      owner: deps.replicaId,
      leaseMs: noise.notify.leaseMs,
      retentionMs: Math.max(7 * 86_400_000, 2 * alertmanager.route.repeatInterval),
    });
    this.dispatcher = new Dispatcher(alertmanager.route, clock, (group, alerts, flushAt) =>
      this.flushGroup(group, alerts, flushAt),
    );
    this.pipeline = multiStage(
      muteStage(
        {
          prepare: async (now) => this.inhibitor.refresh(this.activeAlerts(), now),
          verdict: (alert) => {
            const hit = this.inhibitor.inhibitedBy(alert);
            return hit
              ? {
                  kind: 'mute',
                  decision: 'inhibited',
                  by: hit.by.fingerprint,
                  reason: `inhibited by ${hit.by.labels.alertname ?? hit.by.fingerprint} (${hit.rule.description})`,
                }
              : { kind: 'pass' };
          },
        },
        this.memo,
      ),
      timeIntervalStage(alertmanager.timeIntervals, this.memo),
      muteStage(
        {
          prepare: () => this.silences.refresh(),
          verdict: (alert) => {
            const ids = this.silences.mutedBy(alert.labels);
            return ids.length > 0
              ? {
                  kind: 'mute',
                  decision: 'silenced',
                  by: ids.join(','),
                  reason: `silenced by ${ids.join(', ')}`,
                }
              : { kind: 'pass' };
          },
        },
        this.memo,
      ),
      muteStage(
        {
          prepare: async (now) => this.topology.refresh(this.activeAlerts(), now),
          verdict: (alert, ctx) => {
            const v = this.topology.verdict(alert, ctx.now);
            if (v.kind === 'notify') return { kind: 'pass' };
            if (v.kind === 'hold') return v;
            return {
              kind: 'mute',
              decision: 'suppressed',
              by: v.by.fingerprint,
              reason: `suppressed: ${v.reason} (${v.by.labels.alertname ?? ''})`,
            };
          },
        },
        this.memo,
      ),
      dedupStage({
        ledger,
        memo: this.memo,
        isFlapping: (fp) => this.flapStates.get(fp)?.flapping ?? false,
        sendResolved: (receiver) =>
          (this.integrationsByReceiver.get(receiver) ?? []).some((i) => i.sendResolved),
        related: (alerts, now) => this.relatedOf(alerts, now),
        groupFlaps: new FlapDetector(noise.groupFlap),
        externalURL: deps.externalURL,
      }),
      sendStage({
        ledger,
        recorder: deps.decisions,
        clock,
        integrations: (receiver) => this.integrationsByReceiver.get(receiver) ?? [],
        log: (n) => this.logNotification(n),
        retry: noise.notify,
      }),
    );
  }

  /** Restores the alerts open before a restart, then starts the timers. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const now = this.deps.clock.now();
    // Flap history first: an alert flapping before the restart is still flapping after it.
    for (const [id, raw] of Object.entries(await this.deps.state.hgetall(FLAPS_KEY))) {
      const flap = parseFlapState(raw);
      if (flap) this.flapStates.set(id, flap);
    }
    for (const alert of await this.registry.load(now)) {
      if (isResolved(alert, now) && alert.endsAt !== null && alert.endsAt < now - 3_600_000) continue;
      await this.admit(alert, now, false);
    }
    this.scheduleTick();
  }

  /**
   * Takes alerts from rules and from /api/v2/alerts. Calls are applied in order, one batch at a time,
   * so two batches about one alert never interleave.
   */
  receive(alerts: readonly Alert[]): Promise<void> {
    const run = this.queue.then(async () => {
      const now = this.deps.clock.now();
      for (const raw of alerts) {
        const alert =
          raw.endsAt === null ? { ...raw, endsAt: now + this.deps.alertmanager.resolveTimeout } : raw;
        const { alert: merged } = await this.registry.upsert(alert, now);
        await this.admit(merged, now, true);
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }

  async shutdown(deadline: number): Promise<void> {
    this.stopping ??= (async () => {
      this.ticker?.cancel();
      this.ticker = null;
      await Promise.race([
        this.queue.then(() => this.dispatcher.stop()),
        new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref()),
      ]);
    })();
    return this.stopping;
  }

  private async admit(alert: Alert, now: number, live: boolean): Promise<void> {
    const { incident, merged } = this.merger.add(alert, now);
    if (merged && live) {
      await this.memo.once(`merged|${alert.fingerprint}|${incident.id}`, {
        time: now,
        decision: 'merged',
        reason: `merged into incident ${incident.id} (${incident.class} on ${incident.entity ?? 'the same labels'}) as seen by ${alert.source}`,
        receiver: null,
        groupKey: null,
        notificationId: null,
        incidentId: incident.id,
        fingerprints: [alert.fingerprint],
        services: servicesOf([alert]),
        by: incident.primary,
      });
    }
    const firing = incidentFiring(incident, now);
    const flap = this.flapStates.get(incident.id);
    if (!flap) {
      this.flapStates.set(incident.id, this.flaps.initial(firing, now));
    } else if (live) {
      const before = flap.history.length;
      const last = flap.history[before - 1];
      await this.onFlapChange(incident, this.flaps.observe(flap, firing, now), now);
      if (last !== firing || flap.history.length !== before) await this.persistFlap(incident.id, flap);
    }
    const routed = incidentAlert(incident);
    for (const group of this.dispatcher.insert(routed)) {
      if (!live) continue;
      await this.memo.once(`grouped|${group.key}|${routed.fingerprint}`, {
        time: now,
        decision: 'grouped',
        reason: `grouped into ${group.key} (receiver ${group.route.receiver})`,
        receiver: group.route.receiver,
        groupKey: group.key,
        notificationId: null,
        incidentId: incident.id,
        fingerprints: [routed.fingerprint],
        services: servicesOf([routed]),
        by: null,
      });
    }
    await this.deps.incidents.upsert(this.incidentRecord(incident, now));
  }

  private async onFlapChange(
    incident: Incident,
    change: 'started' | 'stopped' | null,
    now: number,
  ): Promise<void> {
    if (!change) return;
    const percent = this.flaps.percent(this.flapStates.get(incident.id) as FlapState);
    const alert = incidentAlert(incident);
    await this.deps.decisions.record({
      time: now,
      decision: change === 'started' ? 'flapping' : 'stable',
      reason: `${alert.labels.alertname ?? incident.id} ${change === 'started' ? 'started' : 'stopped'} flapping: ${percent.toFixed(1)}% state change over the last 21 states (thresholds ${this.deps.noise.flap.low}%/${this.deps.noise.flap.high}%)`,
      receiver: null,
      groupKey: null,
      notificationId: null,
      incidentId: incident.id,
      fingerprints: [alert.fingerprint],
      services: servicesOf([alert]),
      by: null,
    });
  }

  private async flushGroup(
    group: AggregationGroup,
    alerts: Alert[],
    flushAt: (t: number) => void,
  ): Promise<boolean> {
    const ctx: NotifyContext = {
      receiver: group.route.receiver,
      route: group.route,
      groupKey: group.key,
      groupLabels: group.groupLabels,
      now: this.deps.clock.now(),
      related: [],
      flushAt,
    };
    try {
      const out = await this.pipeline.exec(ctx, alerts);
      return !ctx.keepGroup && !(ctx.claim && out.length === 0);
    } catch (err) {
      this.deps.logger.error(
        { err, groupKey: group.key },
        'notification pipeline failed; retrying at the next interval',
      );
      return false;
    }
  }

  private activeAlerts(): Alert[] {
    return this.merger.incidents().map((i) => incidentAlert(i));
  }

  /** Dependents this notification's alerts suppress, and other sources merged into them. */
  private relatedOf(alerts: readonly Alert[], now: number): RelatedAlert[] {
    const here = new Set(alerts.map((a) => a.fingerprint));
    const related: RelatedAlert[] = [];
    this.topology.refresh(this.activeAlerts(), now);
    for (const incident of this.merger.incidents()) {
      const routed = incidentAlert(incident);
      if (here.has(incident.id)) {
        for (const m of incident.members.values()) {
          if (m.fingerprint !== incident.primary)
            related.push({
              fingerprint: m.fingerprint,
              labels: { ...m.labels },
              relation: 'merged',
              source: m.source,
            });
        }
        continue;
      }
      if (isResolved(routed, now)) continue;
      const v = this.topology.verdict(routed, now);
      if (v.kind === 'suppressed' && here.has(v.by.fingerprint)) {
        related.push({
          fingerprint: routed.fingerprint,
          labels: { ...routed.labels },
          relation: 'suppressed',
          source: routed.source,
        });
      }
    }
    return related;
  }

  private scheduleTick(): void {
    if (this.stopping) return;
    this.ticker = this.deps.clock.setTimeout(() => {
      this.queue = this.queue
        .then(() => this.tick())
        .catch((err: unknown) => {
          this.deps.logger.error({ err }, 'noise reducer tick failed');
        });
      this.scheduleTick();
    }, this.deps.noise.tickMs);
  }

  /** Samples flap state of quiet incidents (so they can become stable) and forgets old ones. */
  private async tick(): Promise<void> {
    const now = this.deps.clock.now();
    for (const incident of this.merger.incidents()) {
      const flap = this.flapStates.get(incident.id);
      if (!flap) continue;
      const change = this.flaps.tick(flap, now);
      if (change || flap.flapping) await this.persistFlap(incident.id, flap);
      if (change) {
        await this.onFlapChange(incident, change, now);
        this.dispatcher.insert(incidentAlert(incident));
        await this.deps.incidents.upsert(this.incidentRecord(incident, now));
      }
    }
    for (const gone of this.merger.prune(now - 3_600_000)) this.flapStates.delete(gone.id);
    this.registry.prune(now - 3_600_000);
  }

  private async persistFlap(id: string, flap: FlapState): Promise<void> {
    await this.deps.state.hset(FLAPS_KEY, { [id]: JSON.stringify(flap) }, 7 * 86_400_000);
  }

  private incidentRecord(incident: Incident, now: number): IncidentRecord {
    const alert = incidentAlert(incident);
    const members = [...incident.members.values()];
    const entity = entityOf(alert.labels);
    const flapping = this.flapStates.get(incident.id)?.flapping ?? false;
    return {
      id: incident.id,
      key: incident.key,
      class: incident.class,
      entity: incident.entity,
      status: incidentFiring(incident, now) ? 'firing' : 'resolved',
      service: entity.service,
      host: entity.host,
      startsAt: new Date(alert.startsAt).toISOString(),
      endsAt: alert.endsAt === null || !isResolved(alert, now) ? null : new Date(alert.endsAt).toISOString(),
      updatedAt: new Date(Math.max(alert.updatedAt, now)).toISOString(),
      flapping,
      sources: [...new Set(members.map((m) => m.source))].sort(),
      alerts: members.map((m) => ({ ...notifiedAlert(m, now, false), source: m.source })),
    };
  }

  private logNotification(n: Notification): void {
    this.deps.logger.info(
      {
        notificationId: n.id,
        receiver: n.receiver,
        groupKey: n.groupKey,
        status: n.status,
        event: n.event,
        alerts: n.alerts.length,
        related: n.related.length,
      },
      'notification',
    );
  }
}
