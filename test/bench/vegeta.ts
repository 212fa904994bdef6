// One closed-loop vegeta attack: `workers` workers, each on its own keep-alive HTTP/1.1 connection,
// sending one request after another for `seconds`, with a client certificate and fixed headers.
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseVegetaReport, type Round } from './report.js';

const execFileAsync = promisify(execFile);

export interface Attack {
  method: 'GET' | 'POST';
  url: string;
  headers: [string, string][];
  bodyFile?: string;
  certFile: string;
  keyFile: string;
  caFile: string;
  workers: number;
  seconds: number;
}

/** vegeta's HTTP target format: the request line, header lines, then `@file` for a body. */
export function targetText(a: Pick<Attack, 'method' | 'url' | 'headers' | 'bodyFile'>): string {
  const lines = [`${a.method} ${a.url}`, ...a.headers.map(([k, v]) => `${k}: ${v}`)];
  if (a.bodyFile) lines.push(`@${a.bodyFile}`);
  return lines.join('\n') + '\n';
}

export async function attack(vegeta: string, dir: string, a: Attack): Promise<Round> {
  const targets = join(dir, 'targets.txt');
  const results = join(dir, 'results.bin');
  await writeFile(targets, targetText(a));
  const workers = String(a.workers);
  await execFileAsync(vegeta, [
    'attack',
    `-targets=${targets}`,
    `-output=${results}`,
    `-duration=${a.seconds}s`,
    '-rate=0',
    `-workers=${workers}`,
    `-max-workers=${workers}`,
    `-connections=${workers}`,
    `-max-connections=${workers}`,
    '-http2=false',
    '-keepalive=true',
    '-max-body=0',
    '-timeout=30s',
    `-cert=${a.certFile}`,
    `-key=${a.keyFile}`,
    `-root-certs=${a.caFile}`,
  ]);
  const { stdout } = await execFileAsync(vegeta, ['report', '-type=json', results], { maxBuffer: 16 << 20 });
  await rm(results, { force: true });
  return parseVegetaReport(stdout);
}
