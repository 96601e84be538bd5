import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

/**
 * `tributary demo` is the README's first command: it must start, feed its three simulated fleets through
 * the real ingest endpoints, print URLs that answer, and stop cleanly on SIGTERM.
 */
describe('tributary demo', () => {
  it('feeds its fleets, prints working URLs and the causal-order comparison, and exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trib-demo-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'demo', '--events', '400'], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: { ...process.env, TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_PORT: '0', TRIBUTARY_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const deadline = Date.now() + 120_000;
      while (!stdout.includes('Ctrl-C stops it') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.match(
        stdout,
        /Ctrl-C stops it/,
        `demo did not finish feeding:\n${stdout}\n${stderr.slice(-2000)}`,
      );
      const stored = /Tributary demo: (\d+) log events/.exec(stdout);
      // `--events` sets the number of simulated requests (about ten log lines each), not an exact count.
      assert.ok(stored && Number(stored[1]) >= 300, stdout);
      const judged =
        /causal order: (\d+) of (\d+) happens-before edges between logs inverted .*?; by timestamp: (\d+)/.exec(
          stdout,
        );
      assert.ok(judged, `no causal-order comparison in:\n${stdout}`);
      const [causal, edges, naive] = [Number(judged[1]), Number(judged[2]), Number(judged[3])];
      assert.ok(edges > 0 && causal < naive, `causal ${causal} vs timestamp ${naive} of ${edges}`);
      assert.match(stdout, /none of the \d+ the data shows/);
      // Every URL it prints answers 200.
      const urls = [...new Set(stdout.match(/http:\/\/127\.0\.0\.1:\d+\/\S*/g) ?? [])];
      assert.ok(urls.length >= 8, stdout);
      for (const url of urls) assert.equal((await fetch(url)).status, 200, url);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr.slice(-2000));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
