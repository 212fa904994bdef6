// `npm run bench -- --scale=5000,20000 [--small-nodes] [--memory-limit=512Mi] [--churn-seconds=300
// --churn-rate=500]`: our server at
// growing cluster sizes, side by side with kube-apiserver's own Table of the same Nodes and with a client-go
// informer holding the same projection (informer/main.go). For each N: the time to create the Nodes, start to
// /readyz, RSS when ready and after reads (under the Deployment's memory limit), Table and JSON list p50/p99;
// then per-Node memory as the slope between the two largest N. With --churn-seconds, kubelet heartbeats at
// --churn-rate updates/s against the largest N, sampling our CPU and RSS. See docs/benchmark.md.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { repoRoot } from '../control-plane/paths.js';
import { direct } from '../support/direct.js';
import { GROUP, startServer, type RunningServer } from '../support/server.js';
import { EC2_INSTANCE, SMALL_NODES, createBenchNodes, nodeName } from './bench-nodes.js';
import { startBenchCluster } from './bench-cluster.js';
import { heartbeats } from './heartbeats.js';
import { imageEnv } from './image-env.js';
import { awsOnly, ourExtraEnv, ourMemoryLimit } from './our-server.js';
import { cpuSeconds, rssMiB, waitForQuiet } from './proc.js';

const execFileAsync = promisify(execFile);
const log = (line: string) => console.error(`[scale ${new Date().toISOString().slice(11, 19)}] ${line}`);
const arg = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? undefined;

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const USER = 'scale-user';
const READS = Number(arg('reads') ?? 15);
/** Idle time after the reads before RSS is read again: V8's memory reducer shrinks an idle heap within seconds. */
const SETTLE_MS = 30_000;
/** Heartbeats in flight at most, each on its own connection. */
const CHURN_IN_FLIGHT = Number(arg('churn-connections') ?? 64);

interface Latency {
  p50: number;
  p99: number;
}

export interface ScaleRow {
  nodes: number;
  createSeconds: number;
  readyMs?: number;
  rssReadyMiB?: number;
  rssAfterReadsMiB?: number;
  /** RSS once the server has been idle SETTLE_MS after the reads: what V8's memory reducer leaves of their garbage. */
  rssSettledMiB?: number;
  table?: Latency;
  json?: Latency;
  kubeTable?: Latency;
  informer?: { syncedMs: number; rssMiB: number; heapMiB: number };
  failure?: string;
}

export interface ChurnResult {
  nodes: number;
  seconds: number;
  /** The rate asked for. */
  rate: number;
  /** Heartbeats the control plane took (200), per second. */
  updatesPerSecond: number;
  cpuCores: number;
  /** Our CPU per status update the control plane took, in ms: what a higher rate would cost, if linear. */
  cpuMsPerUpdate: number;
  failed: number;
  rssMiB: number[];
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** `reads` sequential GETs, each timed from request to the last byte. */
async function timed(send: () => Promise<{ status: number; body: string }>, reads = READS): Promise<Latency> {
  const ms: number[] = [];
  for (let i = 0; i < reads; i++) {
    const started = performance.now();
    const res = await send();
    if (res.status !== 200) throw new Error(`status ${res.status}: ${res.body.slice(0, 300)}`);
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

function countOf(body: string, field: 'rows' | 'items'): number {
  return ((JSON.parse(body) as Record<string, unknown[]>)[field] ?? []).length;
}

async function readOurs(ours: RunningServer, proxy: { cert: string; key: string }, accept: string) {
  return direct(ours.url, ours.servingCa.certPem, {
    path: `/apis/${GROUP}/v1/nodes`,
    headers: { Accept: accept, 'X-Remote-User': USER, 'X-Remote-Group': 'system:authenticated' },
    ...proxy,
  });
}

async function informer(bin: string, cp: ControlPlaneInfo): Promise<ScaleRow['informer']> {
  const { stdout } = await execFileAsync(join(bin, 'informer'), [`--kubeconfig=${cp.kubeconfig}`], {
    timeout: 300_000,
  });
  const out = JSON.parse(stdout) as { syncedMs: number; rssKiB: number; heapAlloc: number };
  return { syncedMs: out.syncedMs, rssMiB: out.rssKiB / 1024, heapMiB: out.heapAlloc / 2 ** 20 };
}

const f = (x: number | undefined, digits = 0) => (x === undefined ? '—' : x.toFixed(digits));

export function renderScale(
  rows: ScaleRow[],
  churn: ChurnResult | undefined,
  settings: Record<string, string>,
) {
  const lines = ['## Scale', '', ...Object.entries(settings).map(([k, v]) => `- ${k}: ${v}`), ''];
  lines.push(
    '| Nodes | create s | start→/readyz ms | RSS ready MiB | RSS after reads MiB | RSS 30 s later MiB | Table p50/p99 ms | JSON p50/p99 ms | kube-apiserver Table p50/p99 ms | client-go informer RSS / heap MiB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of rows) {
    const lat = (l?: Latency) => (l ? `${f(l.p50)} / ${f(l.p99)}` : '—');
    lines.push(
      `| ${r.nodes} | ${f(r.createSeconds, 1)} | ${r.failure ?? f(r.readyMs)} | ${f(r.rssReadyMiB)} | ${f(r.rssAfterReadsMiB)} | ${f(r.rssSettledMiB)} | ${lat(r.table)} | ${lat(r.json)} | ${lat(r.kubeTable)} | ${r.informer ? `${f(r.informer.rssMiB)} / ${f(r.informer.heapMiB)}` : '—'} |`,
    );
  }
  const measured = rows.filter((r) => r.rssAfterReadsMiB !== undefined);
  if (measured.length >= 2) {
    const [a, b] = measured.slice(-2) as [ScaleRow, ScaleRow];
    const slope = (x: number, y: number) => (((y - x) * 1024) / (b.nodes - a.nodes)).toFixed(2);
    lines.push('', `Per-Node memory between ${a.nodes} and ${b.nodes} Nodes (RSS slope):`);
    lines.push(`- ours, after reads: ${slope(a.rssAfterReadsMiB!, b.rssAfterReadsMiB!)} KiB`);
    if (a.rssSettledMiB !== undefined && b.rssSettledMiB !== undefined)
      lines.push(`- ours, 30 s after the reads: ${slope(a.rssSettledMiB, b.rssSettledMiB)} KiB`);
    lines.push(`- ours, when ready: ${slope(a.rssReadyMiB!, b.rssReadyMiB!)} KiB`);
    if (a.informer && b.informer) {
      lines.push(`- client-go informer, RSS: ${slope(a.informer.rssMiB, b.informer.rssMiB)} KiB`);
      lines.push(`- client-go informer, live heap: ${slope(a.informer.heapMiB, b.informer.heapMiB)} KiB`);
    }
  }
  if (churn) {
    lines.push(
      '',
      `Churn at ${churn.nodes} Nodes for ${churn.seconds} s: ${churn.updatesPerSecond.toFixed(0)} status updates/s reached, ` +
        `our CPU ${churn.cpuCores.toFixed(3)} core (${churn.cpuMsPerUpdate.toFixed(2)} ms per update, ` +
        `${((churn.cpuMsPerUpdate * churn.rate) / 1000).toFixed(2)} core at ${churn.rate}/s if linear), ` +
        `${churn.failed} failed, RSS every 10 s: ${churn.rssMiB.map((x) => x.toFixed(0)).join(', ')} MiB`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Kubelet heartbeats at `rate`/s spread over the Nodes, for `seconds`, while sampling our CPU and RSS. */
async function churn(
  cp: ControlPlaneInfo,
  ours: RunningServer,
  nodes: number,
  rate: number,
  seconds: number,
) {
  const beats = await heartbeats(cp, CHURN_IN_FLIGHT);
  const rss: number[] = [await rssMiB(ours.pid)];
  const cpuBefore = await cpuSeconds(ours.pid);
  const started = performance.now();
  let sent = 0;
  let taken = 0;
  let failed = 0;
  let inFlight = 0;
  let next = 0;
  const sampler = setInterval(() => void rssMiB(ours.pid).then((x) => rss.push(x)), 10_000);
  try {
    while (performance.now() - started < seconds * 1000) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      // A bounded number in flight: past what the control plane can take, the rate reached is what it took.
      while (sent < due && inFlight < CHURN_IN_FLIGHT) {
        sent++;
        inFlight++;
        void beats.send(nodeName(next++ % nodes)).then((status) => {
          if (status === 200) taken++;
          else failed++;
          inFlight--;
        });
      }
      await sleep(5);
    }
    while (inFlight > 0) await sleep(10);
  } finally {
    clearInterval(sampler);
    beats.close();
  }
  const elapsed = (performance.now() - started) / 1000;
  rss.push(await rssMiB(ours.pid));
  const cpuCores = ((await cpuSeconds(ours.pid)) - cpuBefore) / elapsed;
  if (failed) log(`churn: ${failed} heartbeats failed`);
  return {
    nodes,
    seconds: Math.round(elapsed),
    rate,
    updatesPerSecond: taken / elapsed,
    cpuCores,
    cpuMsPerUpdate: taken ? (cpuCores * elapsed * 1000) / taken : NaN,
    failed,
    rssMiB: rss,
  };
}

export async function runScale(sizes: number[]): Promise<void> {
  const churnSeconds = Number(arg('churn-seconds') ?? 0);
  const churnRate = Number(arg('churn-rate') ?? 500);
  const { stdout: benchBin } = await execFileAsync('bash', [join(repoRoot, 'test/bench/build.sh')]);
  const stops: (() => Promise<unknown>)[] = [];
  const rows: ScaleRow[] = [];
  let churned: ChurnResult | undefined;
  const memory = await ourMemoryLimit({
    unconstrained: process.argv.includes('--unconstrained'),
    heap: false,
    override: arg('memory-limit'),
  });
  if (typeof memory.cgroup !== 'string') stops.push(memory.cgroup.remove);
  try {
    const { cp, clouds } = await startBenchCluster(stops, {
      log,
      ec2Instance: EC2_INSTANCE,
      user: USER,
      rules: [{ apiGroups: [GROUP], resources: ['nodes'], verbs: ['get', 'list'] }],
    });
    const proxy = {
      cert: await readFile(cp.pki.frontProxyClientCert, 'utf8'),
      key: await readFile(cp.pki.frontProxyClientKey, 'utf8'),
    };
    const admin = {
      cert: await readFile(cp.pki.adminCert, 'utf8'),
      key: await readFile(cp.pki.adminKey, 'utf8'),
    };
    const clusterCa = await readFile(cp.pki.clusterCaCert, 'utf8');
    const env = {
      ...awsOnly(clouds.serverEnv),
      ...imageEnv(await readFile(join(repoRoot, 'Dockerfile'), 'utf8')),
      LOG_LEVEL: 'info',
      ...ourExtraEnv(),
    };
    const startOurs = () =>
      startServer(cp, {
        entry: 'dist/bundle/main.mjs',
        register: false,
        env,
        ...(typeof memory.cgroup !== 'string' && { cgroupProcs: memory.cgroup.procs }),
      });
    let created = 0;
    for (const n of sizes) {
      const createSeconds = await createBenchNodes(cp.kubeconfig, created, n);
      log(`created Nodes ${created}..${n - 1} in ${createSeconds.toFixed(1)} s`);
      created = n;
      const row: ScaleRow = { nodes: n, createSeconds };
      rows.push(row);
      log(`control plane quiet after ${Math.round(await waitForQuiet(cp.pids, { timeoutMs: 60_000 }))} ms`);
      let ours: RunningServer;
      try {
        ours = await startOurs();
      } catch (err) {
        row.failure = `did not start: ${(err as Error).message.split('\n')[0]}`;
        log(row.failure);
        continue;
      }
      try {
        row.readyMs = ours.readyMs;
        row.rssReadyMiB = await rssMiB(ours.pid);
        const table = await readOurs(ours, proxy, TABLE_ACCEPT);
        if (countOf(table.body, 'rows') !== n)
          throw new Error(`our Table has ${countOf(table.body, 'rows')} rows`);
        row.table = await timed(() => readOurs(ours, proxy, TABLE_ACCEPT));
        row.json = await timed(() => readOurs(ours, proxy, 'application/json'));
        row.rssAfterReadsMiB = await rssMiB(ours.pid);
        await sleep(SETTLE_MS);
        row.rssSettledMiB = await rssMiB(ours.pid);
        log(
          `${n} Nodes: ready in ${Math.round(row.readyMs)} ms, RSS ${row.rssReadyMiB.toFixed(0)} → ${row.rssAfterReadsMiB.toFixed(0)} MiB, Table p50 ${row.table.p50.toFixed(0)} ms`,
        );
        if (churnSeconds > 0 && n === sizes.at(-1)) {
          churned = await churn(cp, ours, n, churnRate, churnSeconds);
          log(`churn: ${JSON.stringify(churned)}`);
        }
      } finally {
        await ours.stop();
      }
      row.kubeTable = await timed(() =>
        direct(cp.apiserverUrl, clusterCa, {
          path: '/api/v1/nodes',
          headers: { Accept: TABLE_ACCEPT },
          ...admin,
        }),
      );
      row.informer = await informer(benchBin.trim(), cp);
      log(
        `${n} Nodes: kube-apiserver Table p50 ${row.kubeTable.p50.toFixed(0)} ms; informer ${JSON.stringify(row.informer)}`,
      );
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: Error) => log(`stopping: ${err.message}`));
  }
  const settings = {
    date: new Date().toISOString(),
    nodes: SMALL_NODES ? 'small (~1 KB, --small-nodes)' : 'as a kubelet on EKS writes them (~15 KB)',
    'our memory limit': memory.description,
    reads: `${READS} sequential GETs of the whole list per figure`,
    ...(Object.keys(ourExtraEnv()).length > 0 && { 'our extra environment': JSON.stringify(ourExtraEnv()) }),
  };
  const md = renderScale(rows, churned, settings);
  const outDir = join(repoRoot, '.bench');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'scale-latest.md'), md);
  await writeFile(
    join(outDir, 'scale-latest.json'),
    JSON.stringify({ settings, rows, churn: churned }, null, 2),
  );
  console.log(md);
}
