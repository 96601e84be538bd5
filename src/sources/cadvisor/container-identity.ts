import type { IdentityRules } from './config.ts';

/**
 * Who a cAdvisor sample is about. cAdvisor labels every container series with `id` (cgroup path), `name`
 * (first alias, i.e. the Docker name), `image`, `container_label_<label>` and `container_env_<env>`; because
 * one scrape exports the union of those label names, a container without a label gets it with the empty
 * value, so empty means absent throughout.
 */
export interface ContainerIdentity {
  service: string | null;
  container: string | null;
}

const HOST_LEVEL: ContainerIdentity = { service: null, container: null };

/**
 * Machine metrics (`machine_*`) and cAdvisor's own series describe the host; so does any sample without a
 * container identity (the root cgroup `id="/"`, or no `id`/`name` at all).
 */
export function resolveContainerIdentity(
  metricName: string,
  labels: Readonly<Record<string, string>>,
  rules: IdentityRules,
): ContainerIdentity {
  if (metricName.startsWith('machine_') || metricName.startsWith('cadvisor_')) return HOST_LEVEL;
  const container = nonEmpty(own(labels, 'name')) ?? rootless(own(labels, 'id'));
  if (container === null) return HOST_LEVEL;
  return { service: resolveService(labels, rules), container };
}

/** Service from the configured label precedence, then env names, then `name`, then the image's basename. */
export function resolveService(
  labels: Readonly<Record<string, string>>,
  rules: IdentityRules,
): string | null {
  for (const key of rules.serviceLabels) {
    const value = nonEmpty(own(labels, key));
    if (value !== null) return isMarathonAppId(key) ? marathonServiceName(value) : value;
  }
  for (const env of rules.serviceEnvNames) {
    const value =
      nonEmpty(own(labels, `container_env_${sanitizeLabelName(env.toLowerCase())}`)) ??
      nonEmpty(own(labels, `container_env_${sanitizeLabelName(env)}`));
    if (value !== null) return isMarathonAppId(env) ? marathonServiceName(value) : value;
  }
  return nonEmpty(own(labels, 'name')) ?? imageBaseName(own(labels, 'image') ?? '');
}

/**
 * Marathon app ids are absolute paths (`/shop/checkout/api`). The service keeps the whole path, so two
 * groups' `api` apps stay apart, with `/` turned into `-`: `shop-checkout-api`.
 */
export function marathonServiceName(appId: string): string | null {
  const name = appId.split('/').filter(Boolean).join('-');
  return name === '' ? null : name;
}

/**
 * `registry.example.com:5000/team/web-frontend:1.4@sha256:…` → `web-frontend`. An image given only by
 * its id (`sha256:…`) names nothing.
 */
export function imageBaseName(image: string): string | null {
  if (image === '' || image.startsWith('sha256:')) return null;
  const withoutDigest = image.split('@', 1)[0] ?? '';
  const last = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return nonEmpty(colon === -1 ? last : last.slice(0, colon));
}

/** cAdvisor's sanitizeLabelName: anything outside [a-zA-Z0-9_] becomes `_`. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

function isMarathonAppId(key: string): boolean {
  return key.toLowerCase().endsWith('marathon_app_id');
}

function own(labels: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

function rootless(id: string | undefined): string | null {
  return id === undefined || id === '' || id === '/' ? null : id;
}
