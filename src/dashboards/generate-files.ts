import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { loadRenderer } from './load-renderer.ts';
import type { DashboardOptions, ServiceDashboards } from './render.ts';
import { serviceDirName } from './service-name.ts';

export interface GeneratedFiles {
  service: string;
  grafanaPath: string;
  kibanaPath: string;
  /** False when both files already held these bytes (left untouched). */
  changed: boolean;
  dashboards: ServiceDashboards;
}

export interface GenerateResult {
  written: GeneratedFiles[];
  /** Services refused (hostile name) or whose files could not be written; the others still are. */
  failed: { service: string; reason: string }[];
}

/**
 * Writes `<outDir>/<service>/grafana.json` and `kibana.ndjson` for each service. The directory comes
 * from `serviceDirName` (no traversal); each file is replaced atomically and only when its bytes change.
 */
export async function generateDashboards(
  services: readonly string[],
  options: DashboardOptions,
  outDir: string,
  onProgress: (done: number, service: string) => void = () => {},
): Promise<GenerateResult> {
  const { renderServiceDashboards } = await loadRenderer();
  const result: GenerateResult = { written: [], failed: [] };
  const root = resolve(outDir);
  let done = 0;
  for (const service of [...new Set(services)]) {
    try {
      const dashboards = renderServiceDashboards(service, options);
      const dir = join(root, serviceDirName(service));
      if (!dir.startsWith(root + sep)) throw new Error(`refusing to write outside ${root}`);
      await mkdir(dir, { recursive: true });
      const grafanaPath = join(dir, 'grafana.json');
      const kibanaPath = join(dir, 'kibana.ndjson');
      const grafanaChanged = await writeIfChanged(grafanaPath, dashboards.grafana.json);
      const kibanaChanged = await writeIfChanged(kibanaPath, dashboards.kibana.ndjson);
      result.written.push({
        service,
        grafanaPath,
        kibanaPath,
        changed: grafanaChanged || kibanaChanged,
        dashboards,
      });
    } catch (err) {
      result.failed.push({ service, reason: (err as Error).message });
    }
    onProgress(++done, service);
  }
  return result;
}

async function writeIfChanged(path: string, content: string): Promise<boolean> {
  const existing = await readFile(path, 'utf8').catch(() => null);
  if (existing === content) return false;
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, path);
  return true;
}
