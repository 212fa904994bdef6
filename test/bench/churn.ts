// Kubelet status heartbeats at a rate spread over the Nodes, for a while, with our server's CPU and RSS sampled.
// Two sources (`--churn-source`): `apiserver` sends the heartbeats through the real control plane (the rate
// reached is what it takes); `replay` sends each Node one real heartbeat through it, keeps the watch event
// kube-apiserver encoded for it, then has the replay proxy (replay-proxy.ts) serve our server's Node watch with
// those events, their heartbeat times and resourceVersion rewritten (heartbeat-event.ts), at the asked rate.
import { request } from 'node:https';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { direct } from '../support/direct.js';
import type { RunningServer } from '../support/server.js';
import { nodeName, pool } from './bench-nodes.js';
import { heartbeatEvent, kubeTime, nextHeartbeat, type HeartbeatEvent } from './heartbeat-event.js';
import { heartbeats } from './heartbeats.js';
import { MEMORY_GAUGES, ourGauges } from './our-metrics.js';
import { cpuSeconds, rssMiB } from './proc.js';
import type { ReplayProxy } from './replay-proxy.js';

export type ChurnSource = 'apiserver' | 'replay';

export interface ChurnResult {
  source: ChurnSource;
  nodes: number;
  seconds: number;
  /** The rate asked for. */
  rate: number;
  /** Updates delivered per second: heartbeats the control plane took (200), or events the proxy wrote. */
  updatesPerSecond: number;
  /** Replay: events our server consumed (its Node list's resourceVersion moved that far), per second. */
  consumedPerSecond?: number;
  cpuCores: number;
  /** Our CPU per update delivered, in ms. */
  cpuMsPerUpdate: number;
  failed: number;
  rssMiB: number[];
  /** V8's heap used and committed, sampled with RSS. */
  heap: { usedMiB: number[]; totalMiB: number[] };
  /** Replay: events written but not yet consumed by our server, every 10 s. */
  lag?: number[];
  /** Cores each other process used meanwhile: what bounds the rate on a small machine. */
  otherCores: { etcd: number; kubeApiserver: number; driver: number };
}

export interface ChurnOptions {
  cp: ControlPlaneInfo;
  ours: RunningServer;
  nodes: number;
  rate: number;
  seconds: number;
  /** Heartbeats in flight at most through the control plane, each on its own connection. */
  connections: number;
  log: (line: string) => void;
}

/**
 * Samples our RSS, V8 heap (from our /metrics) and `every10s` every 10 s; `finish` gives the cores each process
 * used since the start.
 */
async function startSampling(
  cp: ControlPlaneInfo,
  ours: RunningServer,
  every10s: () => Promise<void> = async () => {},
) {
  const rss: number[] = [];
  const heap: { usedMiB: number[]; totalMiB: number[] } = { usedMiB: [], totalMiB: [] };
  const sample = async () => {
    const [used, total] = await ourGauges(ours, cp, MEMORY_GAUGES);
    rss.push(await rssMiB(ours.pid));
    heap.usedMiB.push(used! / 2 ** 20);
    heap.totalMiB.push(total! / 2 ** 20);
  };
  await sample();
  const [etcdPid, apiserverPid] = cp.pids as [number, number];
  const before = {
    ours: await cpuSeconds(ours.pid),
    etcd: await cpuSeconds(etcdPid),
    apiserver: await cpuSeconds(apiserverPid),
    driver: process.cpuUsage(),
  };
  const started = performance.now();
  const sampler = setInterval(() => void Promise.all([sample(), every10s()]), 10_000);
  return {
    rss,
    heap,
    finish: async () => {
      clearInterval(sampler);
      const elapsed = (performance.now() - started) / 1000;
      const driver = process.cpuUsage(before.driver);
      const cores = async (p: number, from: number) => ((await cpuSeconds(p)) - from) / elapsed;
      const used = {
        elapsed,
        cpuCores: await cores(ours.pid, before.ours),
        otherCores: {
          etcd: await cores(etcdPid, before.etcd),
          kubeApiserver: await cores(apiserverPid, before.apiserver),
          driver: (driver.user + driver.system) / 1e6 / elapsed,
        },
      };
      await sample();
      return used;
    },
  };
}

/** Heartbeats through the control plane: the rate reached is what it takes. */
export async function churnThroughApiserver(o: ChurnOptions): Promise<ChurnResult> {
  const beats = await heartbeats(o.cp, o.connections);
  const sampling = await startSampling(o.cp, o.ours);
  const started = performance.now();
  let sent = 0;
  let taken = 0;
  let failed = 0;
  let inFlight = 0;
  try {
    while (performance.now() - started < o.seconds * 1000) {
      const due = Math.floor(((performance.now() - started) / 1000) * o.rate);
      // A bounded number in flight: past what the control plane can take, the rate reached is what it took.
      while (sent < due && inFlight < o.connections) {
        inFlight++;
        void beats.send(nodeName(sent++ % o.nodes)).then((status) => {
          if (status === 200) taken++;
          else failed++;
          inFlight--;
        });
      }
      await sleep(5);
    }
    while (inFlight > 0) await sleep(10);
  } finally {
    beats.close();
  }
  const { elapsed, cpuCores, otherCores } = await sampling.finish();
  if (failed) o.log(`churn: ${failed} heartbeats failed`);
  return {
    source: 'apiserver',
    nodes: o.nodes,
    seconds: Math.round(elapsed),
    rate: o.rate,
    updatesPerSecond: taken / elapsed,
    cpuCores,
    cpuMsPerUpdate: taken ? (cpuCores * elapsed * 1000) / taken : NaN,
    failed,
    rssMiB: sampling.rss,
    heap: sampling.heap,
    otherCores,
  };
}

/**
 * One real heartbeat per Node through the control plane, and the MODIFIED event kube-apiserver encoded for each
 * (from a watch of our own, as the admin): what the replay sends again.
 */
async function captureHeartbeats(o: ChurnOptions): Promise<HeartbeatEvent[]> {
  const admin = {
    ca: await readFile(o.cp.pki.clusterCaCert, 'utf8'),
    cert: await readFile(o.cp.pki.adminCert, 'utf8'),
    key: await readFile(o.cp.pki.adminKey, 'utf8'),
  };
  const listed = await direct(o.cp.apiserverUrl, admin.ca, {
    path: '/api/v1/nodes?limit=1',
    headers: { Accept: 'application/json' },
    cert: admin.cert,
    key: admin.key,
  });
  const from = (JSON.parse(listed.body) as { metadata: { resourceVersion: string } }).metadata
    .resourceVersion;
  const captured = new Map<string, HeartbeatEvent>();
  let watch: ReturnType<typeof request> | undefined;
  let done = false;
  const all = new Promise<void>((resolve, reject) => {
    // kube-apiserver closes a watcher that falls behind while it is busy with the heartbeats: watch again from
    // the last event, as an informer does.
    const watchFrom = (resourceVersion: string) => {
      watch = request(`${o.cp.apiserverUrl}/api/v1/nodes?watch=true&resourceVersion=${resourceVersion}`, {
        ...admin,
        headers: { Accept: 'application/json' },
      });
      watch.on('error', (err) => done || reject(err));
      watch.on('response', (res) => {
        if (res.statusCode !== 200) reject(new Error(`watching Nodes: status ${res.statusCode}`));
        // Ended or reset: watch again unless done (then destroyed here, which resets it).
        res.on('close', () => done || watchFrom(resourceVersion));
        const lines = createInterface(res);
        lines.on('error', () => {});
        lines.on('line', (line) => {
          if (!line.startsWith('{"type":"MODIFIED"')) return void o.log(`unexpected: ${line.slice(0, 300)}`);
          try {
            const event = heartbeatEvent(line);
            captured.set(event.name, event);
            resourceVersion = String(event.resourceVersion);
            if (captured.size === o.nodes) resolve();
          } catch (err) {
            reject(err as Error);
          }
        });
      });
      watch.end();
    };
    watchFrom(from);
  });
  const beats = await heartbeats(o.cp, o.connections);
  const started = performance.now();
  try {
    await pool(
      Array.from({ length: o.nodes }, (_, i) => i),
      o.connections,
      async (i) => {
        const status = await beats.send(nodeName(i));
        if (status !== 200) throw new Error(`heartbeat of ${nodeName(i)}: status ${status}`);
      },
    );
    await Promise.race([
      all,
      sleep(60_000).then(() => {
        const missing = Array.from({ length: o.nodes }, (_, i) => nodeName(i)).filter(
          (n) => !captured.has(n),
        );
        throw new Error(
          `no heartbeat event captured for ${missing.length} Nodes: ${missing.slice(0, 10).join(', ')}`,
        );
      }),
    ]);
  } finally {
    done = true;
    beats.close();
    watch?.destroy();
  }
  o.log(
    `captured ${o.nodes} real heartbeat events in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return Array.from({ length: o.nodes }, (_, i) => captured.get(nodeName(i))!);
}

/** Polls `read` until it reaches `target` or `timeoutMs` passes; returns the last value read. */
async function waitUntil(read: () => Promise<number>, target: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let value = await read();
  while (value < target && performance.now() < deadline) {
    await sleep(100);
    value = await read();
  }
  return value;
}

/**
 * Replayed heartbeats, served by the proxy as our server's Node watch. `ourResourceVersion` reads the
 * resourceVersion our server's Node list reports: the last watch event its cache took.
 */
export async function churnByReplay(
  o: ChurnOptions & { proxy: ReplayProxy; ourResourceVersion: () => Promise<number> },
): Promise<ChurnResult> {
  const events = await captureHeartbeats(o);
  let resourceVersion = Math.max(...events.map((e) => e.resourceVersion));
  const caughtUp = await waitUntil(o.ourResourceVersion, resourceVersion, 60_000);
  if (caughtUp < resourceVersion)
    throw new Error(`our server took the real heartbeats up to ${caughtUp}, not ${resourceVersion}`);
  await o.proxy.takeOver();
  o.log(`our server's Node watch is replayed from resourceVersion ${resourceVersion}`);
  const first = resourceVersion + 1;
  const lag: number[] = [];
  const sampling = await startSampling(o.cp, o.ours, async () => {
    const taken = await o.ourResourceVersion();
    lag.push(resourceVersion - taken);
  });
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < o.seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * o.rate);
    while (sent < due) {
      const bytes = nextHeartbeat(events[sent++ % o.nodes]!, ++resourceVersion, kubeTime(Date.now()));
      // A watcher that cannot keep up slows the replay: the rate delivered is what it took.
      if (!o.proxy.write(bytes)) await o.proxy.drained();
    }
    await sleep(5);
  }
  const written = (performance.now() - started) / 1000;
  // Until our server has taken the last event written (or 30 s): the CPU window covers the work of every event.
  const consumed = (await waitUntil(o.ourResourceVersion, resourceVersion, 30_000)) - first + 1;
  const { elapsed, cpuCores, otherCores } = await sampling.finish();
  return {
    source: 'replay',
    nodes: o.nodes,
    seconds: Math.round(elapsed),
    rate: o.rate,
    updatesPerSecond: sent / written,
    consumedPerSecond: consumed / elapsed,
    cpuCores,
    cpuMsPerUpdate: consumed ? (cpuCores * elapsed * 1000) / consumed : NaN,
    failed: sent - consumed,
    rssMiB: sampling.rss,
    heap: sampling.heap,
    lag,
    otherCores,
  };
}
