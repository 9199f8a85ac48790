import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** What infra/local records about a process it started, so that it stops only that process. */
interface PidRecord {
  pid: number;
  commandLine: string;
  startedAt: string;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

function readRecord(file: string): PidRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

/**
 * The pid of the process we started for this component, if it still runs. A recycled pid that
 * now belongs to another program does not count: its command line must be the one we started.
 */
export function runningPid(file: string): number | undefined {
  const record = readRecord(file);
  if (!record || !isAlive(record.pid)) return undefined;
  if (commandLineOf(record.pid) !== record.commandLine) return undefined;
  return record.pid;
}

export interface Launch {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts a process in its own process group, detached from ours, with its output appended to a log. */
export function startDetached(launch: Launch, log: string, pid: string): number {
  mkdirSync(path.dirname(log), { recursive: true });
  mkdirSync(path.dirname(pid), { recursive: true });
  const fd = openSync(log, 'a');
  try {
    writeFileSync(fd, `\n=== ${new Date().toISOString()} ${launch.command} ${launch.args.join(' ')}\n`);
    const child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined) throw new Error(`could not start ${launch.command}`);
    child.unref();
    const record: PidRecord = {
      pid: child.pid,
      commandLine: [launch.command, ...launch.args].join(' '),
      startedAt: new Date().toISOString(),
    };
    writeFileSync(pid, JSON.stringify(record));
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** SIGTERM to the process group, then SIGKILL if it has not exited in time. Returns whether it was running. */
export async function stopProcess(pidPath: string, graceMs: number): Promise<boolean> {
  const pid = runningPid(pidPath);
  rmSync(pidPath, { force: true });
  if (pid === undefined) return false;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await delay(100);
  if (isAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
    while (isAlive(pid)) await delay(50);
  }
  return true;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export function tailOf(file: string, lines: number): string {
  if (!existsSync(file)) return '(no log yet)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
