import type { Alert } from '../../alerting/alert.ts';
import type { Clock } from '../../alerting/clock.ts';
import { groupLabelsOf, matchRoutes, type Route } from '../../alerting/route-tree.ts';
import { AggregationGroup, type FlushFn } from './aggregation-group.ts';

/**
 * Routes each alert through the tree and into the aggregation group of every route it matches
 * (several with `continue`). Groups are created on demand and dropped once empty.
 */
export class Dispatcher {
  private readonly groups = new Map<string, AggregationGroup>();

  constructor(
    private readonly root: Route,
    private readonly clock: Clock,
    private readonly flush: FlushFn,
  ) {}

  /** Returns the groups that received the alert for the first time. */
  insert(alert: Alert): AggregationGroup[] {
    const joined: AggregationGroup[] = [];
    for (const route of matchRoutes(this.root, alert.labels)) {
      const labels = groupLabelsOf(route, alert.labels);
      const probe = new AggregationGroup(route, labels, this.clock, this.flush, (g) =>
        this.groups.delete(g.key),
      );
      const group = this.groups.get(probe.key) ?? probe;
      if (group === probe) this.groups.set(group.key, group);
      if (group.insert(alert)) joined.push(group);
    }
    return joined;
  }

  allGroups(): AggregationGroup[] {
    return [...this.groups.values()];
  }

  async stop(): Promise<void> {
    const groups = [...this.groups.values()];
    for (const g of groups) g.stop();
    await Promise.all(groups.map((g) => g.idle()));
  }
}
