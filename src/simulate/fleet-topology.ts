/**
 * The simulated services and who calls whom. `sync` is an RPC (client span, server span on the callee),
 * `async` a message (producer span, consumer span later on the callee), `untraced` a call to something
 * that exports no spans (a database): a client span only.
 */
export interface ServiceNode {
  name: string;
  /** Share of hosts it runs on. */
  weight: number;
  calls: readonly { to: string; mode: 'sync' | 'async' | 'untraced'; probability: number }[];
}

export const FLEET_TOPOLOGY: readonly ServiceNode[] = [
  {
    name: 'gateway',
    weight: 3,
    calls: [
      { to: 'auth', mode: 'sync', probability: 0.8 },
      { to: 'checkout', mode: 'sync', probability: 1 },
    ],
  },
  { name: 'auth', weight: 2, calls: [{ to: 'postgres', mode: 'untraced', probability: 0.5 }] },
  {
    name: 'checkout',
    weight: 4,
    calls: [
      { to: 'inventory', mode: 'sync', probability: 0.9 },
      { to: 'payments', mode: 'sync', probability: 0.7 },
      { to: 'shipping', mode: 'async', probability: 0.5 },
      { to: 'notifications', mode: 'async', probability: 0.3 },
    ],
  },
  { name: 'payments', weight: 3, calls: [{ to: 'postgres', mode: 'untraced', probability: 1 }] },
  { name: 'inventory', weight: 3, calls: [{ to: 'postgres', mode: 'untraced', probability: 1 }] },
  { name: 'shipping', weight: 2, calls: [{ to: 'inventory', mode: 'sync', probability: 0.5 }] },
  { name: 'notifications', weight: 1, calls: [] },
];

/** Hosts per service, in proportion to the weights, at least one each: `<service>-<n>`. */
export function placeServices(hostCount: number): { service: number; host: string }[] {
  const total = FLEET_TOPOLOGY.reduce((sum, s) => sum + s.weight, 0);
  const counts = FLEET_TOPOLOGY.map((s) => Math.max(1, Math.round((hostCount * s.weight) / total)));
  return FLEET_TOPOLOGY.flatMap((s, service) =>
    Array.from({ length: counts[service] as number }, (_, n) => ({ service, host: `${s.name}-${n + 1}` })),
  );
}
