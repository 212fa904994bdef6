// `npm run bench -- --scale=5000,20000 [--small-nodes] [--memory-limit=512Mi] [--churn-seconds=300
// --churn-rate=500 --churn-source=apiserver|replay]`: our server at
// growing cluster sizes, side by side with kube-apiserver's own Table of the same Nodes and with a client-go
// informer holding the same projection (informer/main.go). For each N: the time to create the Nodes, start to
// /readyz, RSS when ready and after reads (under the Deployment's memory limit), Table and JSON list p50/p99;
// then per-Node memory as the slope between the two largest N. With --churn-seconds, kubelet heartbeats at
// --churn-rate updates/s against the largest N (churn.ts), sampling our CPU and RSS. See docs/benchmark.md.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { repoRoot } from '../control-plane/paths.js';
import { direct } from '../support/direct.js';
import { GROUP, startServer, type RunningServer } from '../support/server.js';
import { EC2_INSTANCE, SMALL_NODES, createBenchNodes } from './bench-nodes.js';
import { startBenchCluster } from './bench-cluster.js';
import { churnByReplay, churnThroughApiserver, type ChurnResult, type ChurnSource } from './churn.js';
import { startReplayProxy, type ReplayProxy } from './replay-proxy.js';
import { renderChurn } from './churn-report.js';
import { imageEnv } from './image-env.js';
import { awsOnly, ourExtraEnv, ourMemoryLimit } from './our-server.js';
import { rssMiB, waitForQuiet } from './proc.js';
import { MEMORY_GAUGES, ourGauges } from './our-metrics.js';

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
  /** V8's heap used and committed and external memory, MiB, when ready and after the reads (our /metrics). */
  v8Ready?: MemoryMiB;
  v8AfterReads?: MemoryMiB;
  table?: Latency;
  json?: Latency;
  kubeTable?: Latency;
  informer?: { syncedMs: number; rssMiB: number; heapMiB: number };
  failure?: string;
}

type MemoryMiB = [heapUsed: number, heapCommitted: number, external: number];

const ourMemory = async (ours: RunningServer, cp: ControlPlaneInfo) =>
  (await ourGauges(ours, cp, MEMORY_GAUGES)).map((b) => b / 2 ** 20) as MemoryMiB;

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

/** The resourceVersion of our Node list: the last watch event our Node cache took. */
async function ourResourceVersion(
  ours: RunningServer,
  proxy: { cert: string; key: string },
): Promise<number> {
  const res = await readOurs(ours, proxy, 'application/json', '?limit=1');
  if (res.status !== 200) throw new Error(`our Node list: status ${res.status}: ${res.body.slice(0, 300)}`);
  return Number((JSON.parse(res.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion);
}

async function readOurs(
  ours: RunningServer,
  proxy: { cert: string; key: string },
  accept: string,
  query = '',
) {
  return direct(ours.url, ours.servingCa.certPem, {
    path: `/apis/${GROUP}/v1/nodes${query}`,
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
  const split = rows.filter((r) => r.v8Ready && r.v8AfterReads);
  if (split.length > 0) {
    lines.push('', 'Where our RSS is, when ready → after reads (MiB, our /metrics):');
    const m = (x: MemoryMiB) => x.map((v) => v.toFixed(0)).join(' / ');
    for (const r of split)
      lines.push(
        `- ${r.nodes} Nodes: V8 heap used / committed / external ${m(r.v8Ready!)} → ${m(r.v8AfterReads!)}`,
      );
  }
  if (churn) lines.push('', renderChurn(churn));
  return lines.join('\n') + '\n';
}

export async function runScale(sizes: number[]): Promise<void> {
  const churnSeconds = Number(arg('churn-seconds') ?? 0);
  const churnRate = Number(arg('churn-rate') ?? 500);
  const churnSource = (arg('churn-source') ?? 'apiserver') as ChurnSource;
  if (!['apiserver', 'replay'].includes(churnSource)) throw new Error(`--churn-source=${churnSource}`);
  const replaying = churnSeconds > 0 && churnSource === 'replay';
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
    // Replayed heartbeats: ours talks to kube-apiserver through the proxy from its start.
    let replayProxy: ReplayProxy | undefined;
    if (replaying) {
      const started = await startReplayProxy(cp);
      stops.push(() => started.close());
      replayProxy = started;
    }
    const env = {
      ...awsOnly(clouds.serverEnv),
      ...imageEnv(await readFile(join(repoRoot, 'Dockerfile'), 'utf8')),
      LOG_LEVEL: 'info',
      ...ourExtraEnv(),
    };
    const startOurs = () =>
      startServer(replayProxy ? { ...cp, apiserverUrl: replayProxy.url } : cp, {
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
        log(`did not start: ${(err as Error).message}`);
        continue;
      }
      try {
        row.readyMs = ours.readyMs;
        row.rssReadyMiB = await rssMiB(ours.pid);
        row.v8Ready = await ourMemory(ours, cp);
        const table = await readOurs(ours, proxy, TABLE_ACCEPT);
        if (countOf(table.body, 'rows') !== n)
          throw new Error(`our Table has ${countOf(table.body, 'rows')} rows`);
        row.table = await timed(() => readOurs(ours, proxy, TABLE_ACCEPT));
        row.json = await timed(() => readOurs(ours, proxy, 'application/json'));
        row.rssAfterReadsMiB = await rssMiB(ours.pid);
        row.v8AfterReads = await ourMemory(ours, cp);
        await sleep(SETTLE_MS);
        row.rssSettledMiB = await rssMiB(ours.pid);
        log(
          `${n} Nodes: ready in ${Math.round(row.readyMs)} ms, RSS ${row.rssReadyMiB.toFixed(0)} → ${row.rssAfterReadsMiB.toFixed(0)} MiB, Table p50 ${row.table.p50.toFixed(0)} ms`,
        );
        if (churnSeconds > 0 && n === sizes.at(-1)) {
          const options = {
            cp,
            ours,
            nodes: n,
            rate: churnRate,
            seconds: churnSeconds,
            connections: CHURN_IN_FLIGHT,
            log,
          };
          churned = replayProxy
            ? await churnByReplay({
                ...options,
                proxy: replayProxy,
                ourResourceVersion: () => ourResourceVersion(ours, proxy),
              })
            : await churnThroughApiserver(options);
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
