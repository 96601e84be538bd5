import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A system under test run as a child process that can be stopped with a signal and started again. */
export interface SystemProcess {
  readonly name: string;
  readonly url: string;
  start(): Promise<void>;
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Alertmanager 0.25 from Debian's prometheus-alertmanager, on loopback, clustering off. */
export function alertmanagerProcess(
  binary: string,
  configFile: string,
  storage: string,
  port: number,
): SystemProcess {
  const url = `http://127.0.0.1:${port}`;
  return managed(
    'alertmanager',
    url,
    () =>
      spawn(
        binary,
        [
          `--config.file=${configFile}`,
          `--storage.path=${storage}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--cluster.listen-address=',
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      ),
    async () => (await fetch(`${url}/-/ready`).catch(() => null))?.ok === true,
  );
}

/** Tributary's alerting behind /api/v2/alerts (bench/alert-storm/tributary-server.ts). */
export function tributaryProcess(env: Record<string, string>, port: number): SystemProcess {
  const url = `http://127.0.0.1:${port}`;
  const entry = new URL('./tributary-server.ts', import.meta.url).pathname;
  return managed(
    'tributary',
    url,
    () =>
      spawn(process.execPath, ['--import', 'tsx', entry], {
        env: { ...process.env, ...env, PORT: String(port) },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    async () =>
      (await fetch(`${url}/api/v2/alerts`, { method: 'POST', body: '[]' }).catch(() => null)) !== null,
  );
}

function managed(
  name: string,
  url: string,
  launch: () => ChildProcess,
  ready: () => Promise<boolean>,
): SystemProcess {
  let child: ChildProcess | null = null;
  return {
    name,
    url,
    async start() {
      child = launch();
      const deadline = Date.now() + 30_000;
      while (!(await ready())) {
        if (Date.now() > deadline) throw new Error(`${name} did not become ready`);
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(signal) {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill(signal);
      await exited;
      child = null;
    },
  };
}
