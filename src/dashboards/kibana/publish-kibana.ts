import { hashInDescription } from '../canonical-json.ts';
import { describeError, describeFailure, httpCall, type PublishOutcome } from '../publish-outcome.ts';
import type { GeneratedKibanaObjects } from './build-saved-objects.ts';

export interface KibanaTarget {
  url: string;
  apiKey: string | undefined;
  /** Kibana space; the default space when undefined. */
  space: string | undefined;
  /** File name given to the NDJSON in the multipart upload. */
  fileName: string;
  timeoutMs: number;
}

/**
 * Imports the NDJSON with `POST /api/saved_objects/_import?overwrite=true` (multipart field `file`),
 * unless Kibana's copy of the service dashboard already carries this content hash in its description
 * (read with `GET /api/saved_objects/dashboard/<id>`), the same record-in-the-target idea as Grafana.
 */
export async function publishKibanaObjects(
  generated: GeneratedKibanaObjects,
  target: KibanaTarget,
): Promise<PublishOutcome> {
  const outcome = (status: PublishOutcome['status'], detail?: string): PublishOutcome => ({
    target: 'kibana',
    status,
    hash: generated.hash,
    ...(detail === undefined ? {} : { detail }),
  });
  const base = target.space === undefined ? target.url : `${target.url}/s/${target.space}`;
  // Kibana refuses API writes without kbn-xsrf (CSRF protection); any value works.
  const headers: Record<string, string> = { 'kbn-xsrf': 'true', Accept: 'application/json' };
  if (target.apiKey !== undefined) headers.Authorization = `ApiKey ${target.apiKey}`;
  try {
    const current = await httpCall(
      `${base}/api/saved_objects/dashboard/${encodeURIComponent(generated.dashboardId)}`,
      { method: 'GET', headers },
      target.timeoutMs,
    );
    const description = (current.body as { attributes?: { description?: unknown } } | null)?.attributes?.description;
    if (current.status === 200 && hashInDescription(description) === generated.hash) {
      return outcome('unchanged', `Kibana already has dashboard ${generated.dashboardId} at content hash ${generated.hash}`);
    }
    if (current.status !== 200 && current.status !== 404) {
      return outcome('failed', describeFailure('Kibana (GET dashboard)', current.status, current.text));
    }
    const form = new FormData();
    form.append('file', new Blob([generated.ndjson], { type: 'application/ndjson' }), target.fileName);
    const imported = await httpCall(
      `${base}/api/saved_objects/_import?overwrite=true`,
      { method: 'POST', headers, body: form },
      target.timeoutMs,
    );
    const result = imported.body as { success?: unknown; errors?: unknown } | null;
    if (imported.status !== 200) {
      return outcome('failed', describeFailure('Kibana (import)', imported.status, imported.text));
    }
    if (result?.success !== true) {
      return outcome('failed', `Kibana refused part of the import: ${JSON.stringify(result?.errors ?? null).slice(0, 300)}`);
    }
    return outcome('published');
  } catch (err) {
    return outcome('failed', describeError('Kibana', err));
  }
}
