// `node dist/test/bench/start-at-scale.js --state FILE [--create N|FROM..TO] [--starts 5] [--entry dist/bundle/main.mjs]…`:
// start to /readyz of our server, as the scale mode starts it (the bundle, AWS alone, the image's environment,
// the Deployment's memory limit), against a control plane already running (`control-plane start --state FILE`),
// started again and again. Several `--entry` alternate, so drift on a shared machine falls on all of them alike.
// Each start: wall time to the first /readyz 200, our process's CPU by then (steadier than wall time on a shared
// machine) and its RSS, then and 10 s later, the load average; with `--our-env=LOG_LEVEL=debug` the server's own log line saying how the Node cache's
// initial state came (protobuf, JSON, pages) and how long it took.
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadControlPlaneInfo } from '../control-plane/control-plane.js';
import { repoRoot } from '../control-plane/paths.js';
import { startCloudEmulators } from '../support/clouds.js';
import { startServer } from '../support/server.js';
import { createBenchNodes } from './bench-nodes.js';
import { imageEnv } from './image-env.js';
import { awsOnly, ourExtraEnv, ourMemoryLimit } from './our-server.js';
import { cpuSeconds, rssMiB } from './proc.js';
import { median } from './report.js';

/** RSS is read again this long after ready, when V8 has collected what the start left. */
const SETTLE_MS = 10_000;

const { values } = parseArgs({
  strict: false,
  options: {
    state: { type: 'string' },
    create: { type: 'string' },
    starts: { type: 'string', default: '5' },
    entry: { type: 'string', multiple: true },
    /** Where to write each start's whole output (FILE.1, FILE.2…), e.g. with `--our-env=NODE_OPTIONS=--trace-gc`. */
    output: { type: 'string' },
  },
});

async function main(): Promise<void> {
  if (typeof values.state !== 'string') throw new Error('--state FILE (control-plane start --state FILE)');
  const cp = await loadControlPlaneInfo(values.state);
  if (typeof values.create === 'string') {
    const [from, to] = values.create.split('..').map(Number);
    const seconds = await createBenchNodes(cp.kubeconfig, to === undefined ? 0 : from!, to ?? from!);
    console.error(`# created Nodes in ${seconds.toFixed(1)} s`);
  }
  const entries = (values.entry as string[] | undefined) ?? ['dist/bundle/main.mjs'];
  const memory = await ourMemoryLimit({ unconstrained: false, heap: false });
  const clouds = await startCloudEmulators({});
  const env = {
    ...awsOnly(clouds.serverEnv),
    ...imageEnv(await readFile(join(repoRoot, 'Dockerfile'), 'utf8')),
    LOG_LEVEL: 'info',
    ...ourExtraEnv(),
  };
  let written = 0;
  const samples = new Map(entries.map((e) => [e, [] as { readyMs: number; cpuMs: number }[]]));
  try {
    for (let i = 0; i < Number(values.starts); i++) {
      for (const entry of entries) {
        const load = loadavg()[0]!.toFixed(1);
        const server = await startServer(cp, {
          entry,
          register: false,
          env,
          ...(typeof memory.cgroup !== 'string' && { cgroupProcs: memory.cgroup.procs }),
        });
        try {
          const cpuMs = (await cpuSeconds(server.pid)) * 1000;
          const rss = await rssMiB(server.pid);
          await sleep(SETTLE_MS);
          const rssLater = await rssMiB(server.pid);
          samples.get(entry)!.push({ readyMs: server.readyMs, cpuMs });
          const output = await server.flushedLogs();
          if (typeof values.output === 'string') await writeFile(`${values.output}.${++written}`, output);
          const trace = output
            .split('\n')
            .filter((l) => l.includes('initial state of'))
            .map((l) => (l.startsWith('{') ? ((JSON.parse(l) as { msg?: string }).msg ?? l) : l));
          console.log(
            `${entry}\tready ${server.readyMs.toFixed(0)} ms\tCPU ${cpuMs.toFixed(0)} ms\tRSS ${rss.toFixed(0)} MiB, ${rssLater.toFixed(0)} ${SETTLE_MS / 1000} s later\tload ${load}\t${trace.join(' | ')}`,
          );
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    await clouds.stop();
    if (typeof memory.cgroup !== 'string') await memory.cgroup.remove();
  }
  for (const [entry, xs] of samples) {
    const f = (k: 'readyMs' | 'cpuMs') => {
      const v = xs.map((x) => x[k]);
      return `${median(v).toFixed(0)} (${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)})`;
    };
    console.log(
      `${entry}: ${xs.length} starts, ready ms ${f('readyMs')}, CPU ms ${f('cpuMs')}; median (min–max)`,
    );
  }
}

await main();
