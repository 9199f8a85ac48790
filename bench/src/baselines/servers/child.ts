import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A server under test in a process of its own (the load generator must not share its event loop),
 * run from its TypeScript source through tsx's loader. The child tells it is ready over IPC with
 * `ready(details)`; the parent stops it with SIGTERM (SIGKILL after a grace period).
 */
export interface Child<Ready> {
  ready: Ready;
  pid: number;
  /** Stops the child and waits for it to exit; safe to call twice. */
  stop(): Promise<void>;
}

const tsxLoader = pathToFileURL(
  path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs'),
).href;

export async function startChild<Ready>(
  script: string,
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<Child<Ready>> {
  const child = spawn(process.execPath, ['--import', tsxLoader, path.join(__dirname, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = () => stopChild(child);
  try {
    const ready = await new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${script} was not ready in ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.once('message', (message: { ready?: Ready; failed?: string }) => {
        clearTimeout(timer);
        if (message.failed !== undefined) reject(new Error(`${script} failed to start: ${message.failed}`));
        else resolve(message.ready as Ready);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited before it was ready (${code ?? signal})`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return { ready, pid: child.pid ?? 0, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

/** In the child: tells the parent it is ready (or why it is not), and stops on SIGTERM or when the parent goes. */
export function serveChild<Ready>(start: () => Promise<{ ready: Ready; close(): Promise<void> }>): void {
  const send = (message: unknown) => process.send?.(message);
  start().then(
    ({ ready, close }) => {
      let closing = false;
      const shutDown = () => {
        if (closing) return;
        closing = true;
        const forced = setTimeout(() => process.exit(0), 5_000);
        forced.unref();
        close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', shutDown);
      // The parent died without stopping us: do not linger.
      process.once('disconnect', shutDown);
      send({ ready });
    },
    (error: unknown) => {
      send({ failed: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    },
  );
}
