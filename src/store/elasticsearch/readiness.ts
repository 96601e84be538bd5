import type { Client } from '@elastic/elasticsearch';

/**
 * For `/readyz`: ready when the cluster answers within `timeoutMs` and is not red (yellow is fine:
 * writes to primaries work, and a single test node never gets replicas).
 */
export async function checkElasticsearch(
  client: Client,
  timeoutMs = 2000,
): Promise<{ ok: boolean; detail?: string }> {
  try {
    const health = await client.cluster.health({ timeout: `${timeoutMs}ms` }, { requestTimeout: timeoutMs });
    if (health.status === 'red') return { ok: false, detail: `cluster ${health.cluster_name} is red` };
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: `elasticsearch unreachable: ${(err as Error).message}` };
  }
}
