import { createHash } from 'node:crypto';

/** Longest service name accepted for dashboards (longer ones are noise or an attack). */
const MAX_NAME_CHARS = 200;
/** Control characters and path separators: never part of a real service name, always of an attack. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f/\\]/u;
/** Names used as they are for directories; anything else gets a slug and a hash (no traversal, no case clash). */
const PLAIN_DIR_NAME = /^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*$/;

/** Why `name` cannot get dashboards, or null when it can. */
export function serviceNameProblem(name: string): string | null {
  if (name.length === 0) return 'the service name is empty';
  if (name.length > MAX_NAME_CHARS) return `the service name is longer than ${MAX_NAME_CHARS} characters`;
  if (FORBIDDEN.test(name)) return 'the service name contains a control character, "/" or "\\"';
  if (/^\.+$/.test(name)) return 'the service name is only dots';
  return null;
}

/** Hex digest of the name: the part of every generated id that keeps two similar names apart. */
export function nameHash(name: string, length = 10): string {
  return createHash('sha256').update(name, 'utf8').digest('hex').slice(0, length);
}

/** Lowercase `[a-z0-9-]` rendering of a name, at most `max` characters, never empty. */
export function serviceSlug(name: string, max = 22): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug === '' ? 'service' : slug;
}

/** Grafana dashboard uid: `trib-<slug>-<hash>`, at most 38 characters (Grafana allows 40). */
export function grafanaUid(name: string): string {
  return `trib-${serviceSlug(name)}-${nameHash(name)}`;
}

/** Prefix of every Kibana saved object id of the service. */
export function kibanaIdPrefix(name: string): string {
  return `tributary-${serviceSlug(name, 40)}-${nameHash(name)}`;
}

/**
 * Directory of the service's files under the output dir: the name itself when it is a plain lowercase
 * file name, else slug + hash, so no name can climb out of the output dir or collide with another.
 */
export function serviceDirName(name: string): string {
  if (name.length <= 64 && PLAIN_DIR_NAME.test(name)) return name;
  return `${serviceSlug(name, 40)}-${nameHash(name, 8)}`;
}
