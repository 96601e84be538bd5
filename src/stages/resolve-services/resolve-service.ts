import type { TributaryEvent } from '../../core/event.ts';

/**
 * Service identity across sources: every source names services its own way (Nagios host_name, compose
 * service or Marathon app id, log `service.name`, OTel `service.name`, Pinpoint applicationName). Names
 * are trimmed and lowercased, then mapped through the configured aliases (`services.aliases`, keys
 * lowercased too), so `Checkout`, `/shop/checkout` (Marathon) and `checkout-svc` can become one entity.
 */
export function createServiceResolver(aliases: Readonly<Record<string, string>>): (name: string) => string {
  const table = new Map(
    Object.entries(aliases).map(([alias, canonical]) => [canonicalize(alias), canonical.trim()]),
  );
  return (name) => {
    const canonical = canonicalize(name);
    return table.get(canonical) ?? canonical;
  };
}

function canonicalize(name: string): string {
  return name.trim().toLowerCase();
}

/** Applies the resolver to a batch in place of each event's `service` (raw name kept in attributes). */
export function resolveServices<T extends TributaryEvent>(
  events: readonly T[],
  resolve: (name: string) => string,
): T[] {
  return events.map((event) => {
    if (event.service === null || event.service === '') return event;
    const resolved = resolve(event.service);
    if (resolved === event.service) return event;
    return {
      ...event,
      service: resolved,
      attributes: { ...event.attributes, 'service.raw_name': event.service },
    };
  });
}
