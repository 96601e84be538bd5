import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';

const root = resolve(import.meta.dirname, '..', '..');

function startProcess(
  dataDir: string,
  port: number,
): { child: ChildProcess; ready: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      TRIBUTARY_DATA_DIR: dataDir,
      TRIBUTARY_PORT: String(port),
      TRIBUTARY_SHUTDOWN_TIMEOUT: '8s',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolveReady, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('tributary is serving')) resolveReady();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`exited early (${code}): ${output}`)));
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, ready, exited };
}

describe('SIGTERM during a stream of ingests', () => {
  it('exits 0 within the deadline and everything answered 2xx is stored', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trib-sigterm-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const proc = startProcess(dataDir, port);
    await proc.ready;
    const acknowledged: string[] = [];
    let stop = false;
    let sent = 0;
    const writer = async (worker: number): Promise<void> => {
      for (let batch = 0; !stop && batch < 400; batch++) {
        const messages = Array.from({ length: 50 }, (_, i) => `w${worker}-b${batch}-m${i}`);
        try {
          const response = await fetch(`http://127.0.0.1:${port}/v1/ingest/logstash`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-ndjson' },
            body: messages
              .map((m) => JSON.stringify({ message: m, '@timestamp': new Date().toISOString() }))
              .join('\n'),
          });
          sent++;
          if (response.status === 200) acknowledged.push(...messages);
          else await response.arrayBuffer();
        } catch {
          return; // connection refused or reset once the server stopped listening
        }
      }
    };
    const writers = [1, 2, 3, 4].map(writer);
    await new Promise((r) => setTimeout(r, 1500));
    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    const code = await proc.exited;
    const tookMs = Date.now() - signalledAt;
    stop = true;
    await Promise.all(writers);
    assert.equal(code, 0);
    assert.ok(tookMs < 8000, `shutdown took ${tookMs} ms`);
    assert.ok(
      acknowledged.length > 500,
      `only ${acknowledged.length} events acknowledged in ${sent} requests`,
    );

    const db = openDatabase(dataDir);
    const stored = new Set(
      db.prepare("SELECT message FROM events WHERE kind = 'log'").pluck().all() as string[],
    );
    db.close();
    const missing = acknowledged.filter((m) => !stored.has(m));
    assert.deepEqual(missing.slice(0, 5), [], `${missing.length} acknowledged events missing`);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints every configuration error and exits 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      cwd: root,
      env: { ...process.env, TRIBUTARY_PORT: 'x', TRIBUTARY_RETENTION: 'never' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.equal(code, 1);
    assert.match(stderr, /2 error\(s\)/);
    assert.match(stderr, /server\.port \(TRIBUTARY_PORT\)/);
    assert.match(stderr, /storage\.retention \(TRIBUTARY_RETENTION\)/);
  });
});
