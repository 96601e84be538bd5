import { hashInDescription } from '../canonical-json.ts';
import { describeError, describeFailure, httpCall, type PublishOutcome } from '../publish-outcome.ts';
import type { GeneratedGrafanaDashboard } from './build-dashboard.ts';

export interface GrafanaTarget {
  url: string;
  token: string;
  /** Folder to file the dashboard in; Grafana's General folder when undefined. */
  folderUid: string | undefined;
  /** Tributary's version, for the dashboard's version history message. */
  version: string;
  timeoutMs: number;
}

/**
 * Publishes with `POST /api/dashboards/db` (overwrite), unless Grafana already holds this content in
 * this folder. The hash lives in the dashboard's description, so Grafana itself is the record of what
 * was published: it survives restarts, is shared by replicas, and notices a dashboard someone edited
 * or deleted by hand (its hash or folder then differs and we publish again). Cost: one GET per publish.
 */
export async function publishGrafanaDashboard(
  generated: GeneratedGrafanaDashboard,
  target: GrafanaTarget,
): Promise<PublishOutcome> {
  const outcome = (status: PublishOutcome['status'], detail?: string): PublishOutcome => ({
    target: 'grafana',
    status,
    hash: generated.hash,
    ...(detail === undefined ? {} : { detail }),
  });
  const headers = {
    Authorization: `Bearer ${target.token}`,
    Accept: 'application/json',
  };
  try {
    const current = await httpCall(
      `${target.url}/api/dashboards/uid/${encodeURIComponent(generated.uid)}`,
      { method: 'GET', headers },
      target.timeoutMs,
    );
    if (current.status === 200 && isUnchanged(current.body, generated.hash, target.folderUid)) {
      return outcome('unchanged', `Grafana already has dashboard ${generated.uid} at content hash ${generated.hash}`);
    }
    if (current.status !== 200 && current.status !== 404) {
      return outcome('failed', describeFailure(`Grafana (GET dashboard ${generated.uid})`, current.status, current.text));
    }
    const saved = await httpCall(
      `${target.url}/api/dashboards/db`,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          dashboard: { ...generated.dashboard, id: null },
          ...(target.folderUid === undefined ? {} : { folderUid: target.folderUid }),
          overwrite: true,
          message: `tributary ${target.version} ${generated.hash}`,
        }),
      },
      target.timeoutMs,
    );
    if (saved.status !== 200) {
      return outcome('failed', describeFailure(`Grafana (POST dashboard ${generated.uid})`, saved.status, saved.text));
    }
    return outcome('published');
  } catch (err) {
    return outcome('failed', describeError('Grafana', err));
  }
}

function isUnchanged(body: unknown, hash: string, folderUid: string | undefined): boolean {
  const b = body as { dashboard?: { description?: unknown }; meta?: { folderUid?: unknown } } | null;
  const folder = typeof b?.meta?.folderUid === 'string' && b.meta.folderUid !== '' ? b.meta.folderUid : undefined;
  return hashInDescription(b?.dashboard?.description) === hash && folder === folderUid;
}
