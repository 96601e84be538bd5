import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

export interface TributaryProcess {
  child: ChildProcess;
  url: string;
  /** Resolves once the process logs that it serves. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  output: () => string;
}

/** Runs `tributary serve` as a real child process with the given environment. */
export function spawnTributary(env: Record<string, string>, port: number): TributaryProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: root,
    env: { ...process.env, TRIBUTARY_PORT: String(port), TRIBUTARY_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  const ready = new Promise<void>((resolveReady, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      append(chunk);
      if (output.includes('tributary is serving')) resolveReady();
    });
    child.stderr?.on('data', append);
    child.once('exit', (code) =>
      reject(new Error(`tributary exited early (${code}):\n${output.slice(-5000)}`)),
    );
  });
  ready.catch(() => {});
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, url: `http://127.0.0.1:${port}`, ready, exited, output: () => output };
}

export function freePort(): number {
  return 20000 + Math.floor(Math.random() * 30000);
}

export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | null>,
  timeoutMs: number,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
