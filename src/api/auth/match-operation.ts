/**
 * Finds the OpenAPI operation of a concrete request path (`/v1/traces/abc` -> `/v1/traces/{id}`) and
 * returns its `x-scope`.
 */
export function createScopeLookup(
  paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
): (method: string, path: string) => 'public' | 'ingest' | 'read' | 'admin' | undefined {
  const table = Object.entries(paths).map(([template, operations]) => ({
    pattern: new RegExp(
      `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`,
    ),
    operations,
  }));
  return (method, path) => {
    const entry = table.find((t) => t.pattern.test(path));
    const operation = entry?.operations[method.toLowerCase() === 'head' ? 'get' : method.toLowerCase()] as
      { 'x-scope'?: 'public' | 'ingest' | 'read' | 'admin' } | undefined;
    return operation?.['x-scope'];
  };
}
