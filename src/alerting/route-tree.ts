import type { LabelSet } from './alert.ts';
import type { RouteInput } from './alertmanager-schema.ts';
import { ConfigError } from './config-error.ts';
import {
  allOf,
  formatMatcher,
  matchersFromMaps,
  parseMatchers,
  type LabelPredicate,
  type Matcher,
} from './matchers.ts';

/** One node of the routing tree with everything inherited already resolved. */
export interface Route {
  /** Alertmanager's route key: the matchers of every ancestor, `{}/{severity="critical"}`. */
  key: string;
  receiver: string;
  /** Label names to group by; `all` for `group_by: ['...']` (every label, i.e. one group per alert). */
  groupBy: readonly string[] | 'all';
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
  continue: boolean;
  matchers: readonly Matcher[];
  muteTimeIntervals: readonly string[];
  activeTimeIntervals: readonly string[];
  routes: readonly Route[];
  matches: LabelPredicate;
}

export const ROUTE_DEFAULTS = { groupWait: 30_000, groupInterval: 300_000, repeatInterval: 4 * 3_600_000 };

/** Builds the tree: children inherit receiver, group_by and the three timers from their parent. */
export function buildRouteTree(input: RouteInput): Route {
  if (!input.receiver) throw new ConfigError('route: the root route must name a receiver');
  if (input.matchers?.length || input.match || input.match_re) {
    throw new ConfigError('route: the root route must not have matchers (it matches every alert)');
  }
  return buildRoute(input, null, 'route');
}

function buildRoute(input: RouteInput, parent: Route | null, where: string): Route {
  let matchers: Matcher[];
  try {
    matchers = [
      ...matchersFromMaps(input.match, input.match_re),
      ...(input.matchers ?? []).flatMap(parseMatchers),
    ];
  } catch (err) {
    throw new ConfigError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const groupBy = input.group_by ? groupByOf(input.group_by, where) : (parent?.groupBy ?? []);
  const own = `{${matchers.map(formatMatcher).join(',')}}`;
  const children: Route[] = [];
  const route: Route = {
    key: parent ? `${parent.key}/${own}` : own,
    receiver: input.receiver ?? parent?.receiver ?? '',
    groupBy,
    groupWait: input.group_wait ?? parent?.groupWait ?? ROUTE_DEFAULTS.groupWait,
    groupInterval: input.group_interval ?? parent?.groupInterval ?? ROUTE_DEFAULTS.groupInterval,
    repeatInterval: input.repeat_interval ?? parent?.repeatInterval ?? ROUTE_DEFAULTS.repeatInterval,
    continue: input.continue,
    matchers,
    muteTimeIntervals: input.mute_time_intervals ?? [],
    activeTimeIntervals: input.active_time_intervals ?? [],
    routes: children,
    matches: allOf(matchers),
  };
  if (route.groupInterval <= 0) throw new ConfigError(`${where}.group_interval: must be greater than 0`);
  if (route.repeatInterval <= 0) throw new ConfigError(`${where}.repeat_interval: must be greater than 0`);
  (input.routes ?? []).forEach((child, i) =>
    children.push(buildRoute(child, route, `${where}.routes[${i}]`)),
  );
  return route;
}

function groupByOf(names: readonly string[], where: string): readonly string[] | 'all' {
  if (names.includes('...')) {
    if (names.length > 1) throw new ConfigError(`${where}.group_by: '...' must be the only entry`);
    return 'all';
  }
  for (const name of names) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) {
      throw new ConfigError(`${where}.group_by: ${JSON.stringify(name.slice(0, 64))} is not a label name`);
    }
  }
  return [...new Set(names)];
}

/**
 * The routes an alert goes to, as Alertmanager's `Route.Match`: depth first, the first matching child
 * wins unless it has `continue: true`; a node none of whose children matched is itself the match.
 */
export function matchRoutes(route: Route, labels: LabelSet): Route[] {
  if (!route.matches(labels)) return [];
  const all: Route[] = [];
  for (const child of route.routes) {
    const matched = matchRoutes(child, labels);
    all.push(...matched);
    if (matched.length > 0 && !child.continue) break;
  }
  return all.length > 0 ? all : [route];
}

/** Every node, root first (for validation). */
export function walkRoutes(route: Route, visit: (r: Route) => void): void {
  visit(route);
  for (const child of route.routes) walkRoutes(child, visit);
}

/** The labels that name an alert's group on this route. */
export function groupLabelsOf(route: Route, labels: LabelSet): Record<string, string> {
  if (route.groupBy === 'all') return { ...labels };
  const out: Record<string, string> = {};
  for (const name of route.groupBy) {
    const value = labels[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
