// `npm run soak [-- --minutes=30 --rate=25 --nodes=200]`: our server (the production bundle, with the image's
// environment, AWS alone, under the Deployment's memory limit as a memory cgroup, as the scale mode runs it; the Nodes
// kubelet-shaped, ~15 KB each) under a steady mixed load through a local kube-apiserver for a long while — lists,
// Tables, GETs and dry-run restarts as a user RBAC allows, at a fixed rate — sampling its memory every 10 s: RSS
// from /proc, and the V8 heap and external (Buffer) memory from its own /metrics. Without the limit
// (--unconstrained), a heap snapshot at the end forces a full garbage collection and the memory is read once more. Loopback only; not part of CI. See docs/benchmark.md.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { repoRoot } from '../control-plane/paths.js';
import { createKubeletNode } from '../support/nodes.js';
import { ENTRY, GROUP, startServer, type RunningServer } from '../support/server.js';
import { userKubeconfig } from '../support/users.js';
import { startBenchCluster } from './bench-cluster.js';
import { imageEnv } from './image-env.js';
import { awsOnly, ourMemoryLimit } from './our-server.js';
import { MEMORY_GAUGES, leastSquaresSlope, ourGauges } from './our-metrics.js';
import { heapSnapshot, rssMiB } from './proc.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const MINUTES = arg('minutes', 30);
const RATE = arg('rate', 25);
const NODES = arg('nodes', 200);
const WARMUP_MINUTES = Math.min(5, MINUTES / 3);
const SAMPLE_MS = 10_000;
const USER = 'soak-user';
const EC2_INSTANCE = 'i-0b0000000000500c4';
const NODES_PATH = `/apis/${GROUP}/v1/nodes`;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const log = (line: string) => console.error(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);
const nodeName = (i: number) => `soak-node-${String(i).padStart(4, '0')}`;

interface Sample {
  minute: number;
  requests: number;
  errors: number;
  rssMiB: number;
  heapUsedMiB: number;
  /** The V8 heap as committed: RSS can grow with it while the heap used stays flat. */
  heapTotalMiB: number;
  externalMiB: number;
}

/** The mix, one after another: a list, a Table, a GET of one node, a dry-run restart. */
function nextRequest(i: number): {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
} {
  const node = nodeName(i % NODES);
  switch (i % 4) {
    case 0:
      return { method: 'GET', path: `${NODES_PATH}?limit=100`, headers: {} };
    case 1:
      return { method: 'GET', path: NODES_PATH, headers: { accept: TABLE } };
    case 2:
      return { method: 'GET', path: `${NODES_PATH}/${node}`, headers: {} };
    default:
      return {
        method: 'POST',
        path: `${NODES_PATH}/${nodeName(0)}/restart?dryRun=All`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reason: `soak ${i}` }),
      };
  }
}

function send(url: string, agent: Agent, i: number): Promise<number> {
  const r = nextRequest(i);
  return new Promise((resolve) => {
    const req = request(
      `${url}${r.path}`,
      { method: r.method, headers: r.headers, agent, timeout: 30_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(r.body);
  });
}

async function sample(
  server: RunningServer,
  cp: ControlPlaneInfo,
  minute: number,
  requests: number,
  errors: number,
) {
  const [heap, heapTotal, external] = await ourGauges(server, cp, MEMORY_GAUGES);
  const mib = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
  return {
    minute: Math.round(minute * 10) / 10,
    requests,
    errors,
    rssMiB: Math.round((await rssMiB(server.pid)) * 10) / 10,
    heapUsedMiB: mib(heap!),
    heapTotalMiB: mib(heapTotal!),
    externalMiB: mib(external!),
  } satisfies Sample;
}

/** Least-squares slope of `y` against minutes, in MiB per minute. */
const slope = (samples: Sample[], y: (s: Sample) => number) =>
  leastSquaresSlope(
    samples.map((s) => s.minute),
    samples.map(y),
  );

function report(samples: Sample[], afterGc: Sample | undefined, limit: string): string {
  const steady = samples.filter((s) => s.minute >= WARMUP_MINUTES);
  const first = steady[0] ?? samples[0]!;
  const last = samples.at(-1)!;
  const row = (label: string, s: Sample) =>
    `| ${label} | ${s.minute} | ${s.requests} | ${s.errors} | ${s.rssMiB} | ${s.heapUsedMiB} | ${s.heapTotalMiB} | ${s.externalMiB} |`;
  const per = (y: (s: Sample) => number) => slope(steady, y).toFixed(2);
  return [
    `Soak: ${MINUTES} min at ${RATE} requests/s through kube-apiserver, ${NODES} kubelet-shaped Nodes, ` +
      `warm-up ${WARMUP_MINUTES} min, memory limit: ${limit}.`,
    '',
    '| when | minute | requests | errors | RSS MiB | heap used MiB | heap total MiB | external MiB |',
    '|---|---|---|---|---|---|---|---|',
    row('start', samples[0]!),
    row('after warm-up', first),
    row('end', last),
    ...(afterGc ? [row('end, after a full GC', afterGc)] : []),
    '',
    `Slope after warm-up (MiB/min): RSS ${per((s) => s.rssMiB)}, heap used ${per((s) => s.heapUsedMiB)}, ` +
      `heap total ${per((s) => s.heapTotalMiB)}, ` +
      `external ${per((s) => s.externalMiB)}.`,
  ].join('\n');
}

async function main(): Promise<void> {
  const outDir = join(repoRoot, '.bench', 'soak');
  await mkdir(join(outDir, 'heap'), { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'kcnm-soak-'));
  const stops: (() => Promise<unknown>)[] = [];
  try {
    log('starting the control plane');
    const { cp, clients, clouds } = await startBenchCluster(stops, {
      log,
      ec2Instance: EC2_INSTANCE,
      user: USER,
      rules: [
        { apiGroups: [GROUP], resources: ['nodes'], verbs: ['get', 'list'] },
        { apiGroups: [GROUP], resources: ['nodes/restart'], verbs: ['create'] },
      ],
    });
    for (let i = 0; i < NODES; i++)
      await createKubeletNode(clients.core, {
        name: nodeName(i),
        index: i,
        zone: 'us-east-1a',
        ...(i === 0 && { instanceID: EC2_INSTANCE }),
      });
    const memory = await ourMemoryLimit({
      unconstrained: process.argv.includes('--unconstrained'),
      heap: false,
    });
    if (typeof memory.cgroup !== 'string') stops.push(memory.cgroup.remove);
    log(`memory limit: ${memory.description}`);
    const constrained = typeof memory.cgroup !== 'string';
    const server = await startServer(cp, {
      entry: ENTRY.bundle,
      ...(typeof memory.cgroup !== 'string' && { cgroupProcs: memory.cgroup.procs }),
      env: {
        ...awsOnly(clouds.serverEnv),
        ...imageEnv(await readFile(join(repoRoot, 'Dockerfile'), 'utf8')),
        LOG_LEVEL: 'info',
        NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${join(outDir, 'heap')}`,
      },
      logFile: join(work, 'server.log'),
    });
    stops.push(() => server.stop());
    const user = (await userKubeconfig(cp, USER)).replace(/\.kubeconfig$/, '');
    const agent = new Agent({
      keepAlive: true,
      maxSockets: 16,
      ca: await readFile(cp.pki.clusterCaCert),
      cert: await readFile(`${user}.crt`),
      key: await readFile(`${user}.key`),
    });

    log(`load: ${RATE} requests/s for ${MINUTES} min`);
    const samples: Sample[] = [];
    const started = performance.now();
    const minutes = () => (performance.now() - started) / 60_000;
    let sent = 0;
    let errors = 0;
    /** Failed answers by HTTP status (0: no answer). */
    const failures: Record<number, number> = {};
    const pending = new Set<Promise<void>>();
    let nextSample = 0;
    while (minutes() < MINUTES) {
      const due = Math.floor(((performance.now() - started) / 1000) * RATE);
      for (; sent < due; sent++) {
        const p = send(cp.apiserverUrl, agent, sent).then((status) => {
          if (status < 200 || status >= 300) {
            errors++;
            failures[status] = (failures[status] ?? 0) + 1;
          }
          pending.delete(p);
        });
        pending.add(p);
      }
      if (performance.now() - started >= nextSample) {
        const s = await sample(server, cp, minutes(), sent, errors);
        samples.push(s);
        log(JSON.stringify({ ...s, failures }));
        nextSample += SAMPLE_MS;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(pending);
    agent.destroy();
    // A heap snapshot forces a full garbage collection, but writing one takes more than the Deployment's limit.
    const afterGc = constrained
      ? undefined
      : await heapSnapshot(server.pid, join(outDir, 'heap')).then(() =>
          sample(server, cp, minutes(), sent, errors),
        );
    const text = `${report(samples, afterGc, memory.description)}\nFailed answers by status: ${JSON.stringify(failures)}.`;
    await writeFile(join(outDir, 'samples.json'), JSON.stringify({ samples, afterGc }, null, 1));
    await writeFile(join(outDir, 'report.md'), `${text}\n`);
    console.log(text);
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: Error) => log(`stop: ${err.message}`));
    await rm(work, { recursive: true, force: true });
  }
}

await main();
