// Child processes the control plane and the sandbox start: started on 127.0.0.1, logged to files,
// and stopped by the PIDs we recorded — never by name.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const owned = new Set<number>();
process.once('exit', () => {
  for (const pid of owned) killQuietly(pid, 'SIGKILL');
});

export interface StartedProcess {
  pid: number;
  child: ChildProcess;
  logFile: string;
}

/** Starts `command`, logging stdout and stderr to `logFile`. `detached` children outlive this process. */
export function startProcess(
  command: string,
  args: string[],
  logFile: string,
  detached = false,
): StartedProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', fd, fd], detached });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  if (detached) child.unref();
  else owned.add(child.pid);
  child.once('exit', () => owned.delete(child.pid!));
  return { pid: child.pid, child, logFile };
}

function killQuietly(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function isRunning(pid: number): boolean {
  return killQuietly(pid, 0);
}

/** SIGTERM, then SIGKILL for whatever is still running after `graceMs`. */
export async function stopPids(pids: number[], graceMs = 5000): Promise<void> {
  for (const pid of pids) killQuietly(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isRunning) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of pids) if (isRunning(pid)) killQuietly(pid, 'SIGKILL');
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
