// What a server process used, read from /proc, and the SubjectAccessReviews it sent, read from the
// control plane's audit log. The parsers are pure; the readers are thin.
import { execFileSync } from 'node:child_process';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** utime + stime in clock ticks from /proc/PID/stat (the command name may hold spaces and parentheses). */
export function cpuTicks(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unexpected /proc stat: ${stat}`);
  return utime + stime;
}

/** VmRSS from /proc/PID/status, in KiB. */
export function rssKiB(status: string): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!m) throw new Error('no VmRSS in /proc status');
  return Number(m[1]);
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

export async function cpuSeconds(pid: number): Promise<number> {
  return cpuTicks(await readFile(`/proc/${pid}/stat`, 'utf8')) / clockTicks();
}

export async function rssMiB(pid: number): Promise<number> {
  return rssKiB(await readFile(`/proc/${pid}/status`, 'utf8')) / 1024;
}

/** SubjectAccessReviews completed for each requesting user, in audit log lines (JSON events). */
export function countReviews(lines: string, users: string[]): Record<string, number> {
  const counts = Object.fromEntries(users.map((u) => [u, 0]));
  for (const line of lines.split('\n')) {
    if (!line.includes('subjectaccessreviews')) continue;
    const event = JSON.parse(line) as {
      stage?: string;
      objectRef?: { resource?: string };
      user?: { username?: string };
    };
    const user = event.user?.username;
    if (
      event.stage === 'ResponseComplete' &&
      event.objectRef?.resource === 'subjectaccessreviews' &&
      user &&
      user in counts
    )
      counts[user]!++;
  }
  return counts;
}

/** Reads an append-only log from where the last read stopped (at a line boundary). */
export class LogTail {
  private offset = 0;
  constructor(private readonly path: string) {}

  async skipToEnd(): Promise<void> {
    await this.read();
  }

  async read(): Promise<string> {
    const fh = await open(this.path, 'r');
    try {
      const { size } = await fh.stat();
      const buf = Buffer.alloc(size - this.offset);
      await fh.read(buf, 0, buf.length, this.offset);
      const end = buf.lastIndexOf(0x0a) + 1;
      this.offset += end;
      return buf.subarray(0, end).toString('utf8');
    } finally {
      await fh.close();
    }
  }
}

/**
 * Signals a process started with `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=DIR` and waits for the new
 * snapshot in DIR to stop growing (V8 writes it from the main thread, then the process goes on).
 */
export async function heapSnapshot(pid: number, dir: string, timeoutMs = 120_000): Promise<string> {
  const before = new Set(await readdir(dir));
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  let file: string | undefined;
  let size = -1;
  while (Date.now() < deadline) {
    await sleep(500);
    file ??= (await readdir(dir)).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file) continue;
    const now = (await stat(join(dir, file))).size;
    if (now > 0 && now === size) return join(dir, file);
    size = now;
  }
  throw new Error(`no heap snapshot from ${pid} in ${dir} after ${timeoutMs} ms`);
}

/**
 * Waits until the processes together use under `share` of one core over `windowMs` (or `timeoutMs` passes), and
 * returns how long that took: the control plane is still dispatching watch events and compacting after the
 * benchmark creates its objects, and a server started meanwhile measures that work in its start-up.
 */
export async function waitForQuiet(
  pids: number[],
  { windowMs = 500, share = 0.05, timeoutMs = 15_000 } = {},
): Promise<number> {
  const started = performance.now();
  const total = async () =>
    (await Promise.all(pids.map((pid) => cpuSeconds(pid).catch(() => 0)))).reduce((a, b) => a + b, 0);
  while (performance.now() - started < timeoutMs) {
    const before = await total();
    await sleep(windowMs);
    if ((await total()) - before < (share * windowMs) / 1000) break;
  }
  return performance.now() - started;
}
