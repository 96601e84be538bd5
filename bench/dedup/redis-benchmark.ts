import { spawnSync } from 'node:child_process';

/** One line of `redis-benchmark --csv`. */
export interface RedisBenchmarkResult {
  label: string;
  command: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

export interface RedisBenchmarkRun {
  label: string;
  /** Options before the command, e.g. ['-P', '16']. */
  options: readonly string[];
  /** The command and its arguments; `__rand_int__` is replaced per request (with `-r`). */
  command: readonly string[];
}

/**
 * Runs `redis-benchmark` against the server of `url` (its `-u` takes the same URI), bounded by `-n` and a
 * wall-clock timeout, and parses its CSV line. Throws with the tool's output when it fails.
 */
export function runRedisBenchmark(
  url: string,
  run: RedisBenchmarkRun,
  requests: number,
  timeoutMs: number,
): RedisBenchmarkResult {
  const args = ['-u', url, '-n', String(requests), '-r', '1000000', '--csv', ...run.options, ...run.command];
  const result = spawnSync('redis-benchmark', args, { encoding: 'utf8', timeout: timeoutMs });
  if (result.error) throw new Error(`redis-benchmark could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`redis-benchmark exited ${String(result.status)}: ${result.stderr}${result.stdout}`);
  }
  const line = result.stdout
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('"') && !l.startsWith('"test"'));
  if (!line) throw new Error(`redis-benchmark printed no result: ${result.stdout}`);
  const cells = line.split('","').map((cell) => cell.replace(/^"|"$/g, ''));
  return {
    label: run.label,
    command: `redis-benchmark ${args.join(' ')}`,
    requestsPerSec: Number(cells[1]),
    p50Ms: Number(cells[4]),
    p99Ms: Number(cells[6]),
  };
}
