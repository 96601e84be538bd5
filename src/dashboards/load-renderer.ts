import type * as Render from './render.ts';

let loading: Promise<typeof Render> | null = null;

/**
 * The Grafana SDK takes seconds to load; the service loads the generator on first use (a request or
 * a new service) rather than at start.
 */
export function loadRenderer(): Promise<typeof Render> {
  loading ??= import('./render.ts');
  return loading;
}
