// `npm run bench [-- --quick]`: our server side by side with k8s.io/sample-apiserver (the Go reference) and a
// bare node:https server (the runtime's ceiling), on one machine in one run, driven by vegeta over TLS with
// kube-apiserver's front-proxy client certificate and X-Remote-* headers. See docs/benchmark.md.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  startControlPlane,
  stopControlPlane,
  type ControlPlaneInfo,
} from '../control-plane/control-plane.js';
import { repoRoot } from '../control-plane/paths.js';
import { freePort, startProcess, stopPids, waitFor } from '../control-plane/processes.js';
import { httpsGet } from '../control-plane/https-get.js';
import { createCertificateAuthority } from '../../src/tls/pki.js';
import { startCloudEmulators, type CloudEmulators } from '../support/clouds.js';
import { direct } from '../support/direct.js';
import { ensureNamespace } from '../support/aggregation.js';
import { kubeClients } from '../support/kube.js';
import { ENTRY, GROUP, NAMESPACE, SERVICE, startServer, type RunningServer } from '../support/server.js';
import { grant } from '../support/users.js';
import { bodyFileName } from './bare-server.js';
import { EC2_INSTANCE, SMALL_NODES, createBenchNodes, nodeName, pool } from './bench-nodes.js';
import { awsOnly, ourExtraEnv, ourMemoryLimit } from './our-server.js';
import { imageEnv } from './image-env.js';
import { LogTail, countReviews, cpuSeconds, heapSnapshot, rssMiB, waitForQuiet } from './proc.js';
import {
  checkTargets,
  renderMarkdown,
  summarise,
  totalErrors,
  type Report,
  type Round,
  type ScenarioResult,
  type ServerName,
} from './report.js';
import {
  WARDLE_GROUP,
  WARDLE_VERSION,
  startSampleApiserver,
  type SampleApiserver,
} from './sample-apiserver.js';
import { attack } from './vegeta.js';
import { runScale } from './scale.js';

const execFileAsync = promisify(execFile);
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

const QUICK = process.argv.includes('--quick');
/** Ours runs as the production bundle the image ships, or with `--tsc` as tsc's output (dist/src/main.js). */
const OUR_ENTRY = process.argv.includes('--tsc') ? ENTRY.compiled : ENTRY.bundle;
/** `--only=a-discovery,b-get`: those scenarios alone. */
const ONLY = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
/** `--profile`: our server writes a V8 CPU profile into .bench/profile when it stops. */
const PROFILE = process.argv.includes('--profile');
/** `--heap`: our server writes a V8 heap snapshot into .bench/heap once ready and once after the scenarios. */
const HEAP = process.argv.includes('--heap');
/**
 * Ours is configured as the EKS overlay deploys it: AWS alone (the restart scenario drives the EC2 emulator).
 * `--all-clouds` enables Tencent and the simulated cloud too, so every SDK is loaded.
 */
const ALL_CLOUDS = process.argv.includes('--all-clouds');
/** `--unconstrained`: ours without the Deployment's memory limit (see memory-cgroup.ts). */
const UNCONSTRAINED = process.argv.includes('--unconstrained');
const OUR_ENV = ourExtraEnv();
/** Ours runs with the environment our image sets (NODE_ENV=production, the malloc tuning). */
const IMAGE_ENV = imageEnv(await readFile(join(repoRoot, 'Dockerfile'), 'utf8'));
const selected = (s: Scenario) => !ONLY || ONLY.some((id) => s.id.startsWith(id));
const SETTINGS = QUICK
  ? { warmupSeconds: 0.5, rounds: 2, roundSeconds: 1.5, connections: 8, starts: 3 }
  : { warmupSeconds: 3, rounds: 4, roundSeconds: 8, connections: 8, starts: 5 };
const LIST_NODES = 1000;
const TABLE_NODES = 5000;
const FLUNDERS = 1000;
const NAMESPACE_BENCH = 'bench';
const USER = 'bench-user';
const USER_GROUPS = ['bench-users', 'system:authenticated'];
const OUR_USER = `system:serviceaccount:${NAMESPACE}:${SERVICE}`;
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const flunderName = (i: number) => `flunder-${String(i).padStart(4, '0')}`;

/** A request as one server sees it, and what a correct answer looks like. */
interface Probe {
  method: 'GET' | 'POST';
  path: string;
  accept?: string;
  body?: string;
  check: (json: Record<string, unknown>) => string | undefined;
}

interface Scenario {
  id: string;
  title: string;
  connections: number;
  ours: Probe;
  sample?: Probe;
}

const kindIs = (kind: string) => (j: Record<string, unknown>) =>
  j.kind === kind ? undefined : `kind ${String(j.kind)}, want ${kind}`;
const countIs = (kind: string, field: 'items' | 'rows', n: number) => (j: Record<string, unknown>) =>
  kindIs(kind)(j) ??
  ((j[field] as unknown[] | undefined)?.length === n
    ? undefined
    : `${(j[field] as unknown[] | undefined)?.length} ${field}, want ${n}`);

const OURS = `/apis/${GROUP}/v1`;
const WARDLE = `/apis/${WARDLE_GROUP}/${WARDLE_VERSION}`;
const FLUNDERS_PATH = `${WARDLE}/namespaces/${NAMESPACE_BENCH}/flunders`;

function scenarios(connections: number): Scenario[] {
  return [
    {
      id: 'a-discovery',
      title: 'GET /apis/<group>/<version>',
      connections,
      ours: { method: 'GET', path: OURS, accept: 'application/json', check: kindIs('APIResourceList') },
      sample: { method: 'GET', path: WARDLE, accept: 'application/json', check: kindIs('APIResourceList') },
    },
    {
      id: 'b-get',
      title: 'GET one object by name',
      connections,
      ours: {
        method: 'GET',
        path: `${OURS}/nodes/${nodeName(1)}`,
        accept: 'application/json',
        check: kindIs('Node'),
      },
      sample: {
        method: 'GET',
        path: `${FLUNDERS_PATH}/${flunderName(1)}`,
        accept: 'application/json',
        check: kindIs('Flunder'),
      },
    },
    {
      id: 'c-list-1000-json',
      title: 'list of 1,000 objects as JSON',
      connections,
      ours: {
        method: 'GET',
        path: `${OURS}/nodes`,
        accept: 'application/json',
        check: countIs('NodeList', 'items', LIST_NODES),
      },
      sample: {
        method: 'GET',
        path: FLUNDERS_PATH,
        accept: 'application/json',
        check: countIs('FlunderList', 'items', FLUNDERS),
      },
    },
    {
      id: 'c-list-1000-table',
      title: 'list of 1,000 objects as a Table',
      connections,
      ours: {
        method: 'GET',
        path: `${OURS}/nodes`,
        accept: TABLE_ACCEPT,
        check: countIs('Table', 'rows', LIST_NODES),
      },
      sample: {
        method: 'GET',
        path: FLUNDERS_PATH,
        accept: TABLE_ACCEPT,
        check: countIs('Table', 'rows', FLUNDERS),
      },
    },
    {
      id: 'd-restart-dry-run',
      title: 'POST nodes/N/restart?dryRun=All (EC2 emulator)',
      connections,
      ours: {
        method: 'POST',
        path: `${OURS}/nodes/${nodeName(0)}/restart?dryRun=All`,
        body: '{}',
        check: (j) =>
          (j.status as { dryRun?: boolean } | undefined)?.dryRun === true
            ? undefined
            : `not a dry run: ${JSON.stringify(j)}`,
      },
    },
  ];
}

const TABLE_5000: Scenario = {
  id: 'e-table-5000',
  title: '5,000 Nodes as a Table, one request at a time (server time)',
  connections: 1,
  ours: {
    method: 'GET',
    path: `${OURS}/nodes`,
    accept: TABLE_ACCEPT,
    check: countIs('Table', 'rows', TABLE_NODES),
  },
};

interface Target {
  name: ServerName;
  url: string;
  pid: number;
  caFile: string;
  user?: string;
}

interface Files {
  dir: string;
  bareBodies: string;
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

function headers(p: Probe): [string, string][] {
  const h: [string, string][] = [];
  if (p.accept) h.push(['Accept', p.accept]);
  if (p.body !== undefined) h.push(['Content-Type', 'application/json']);
  h.push(['X-Remote-User', USER], ...USER_GROUPS.map((g): [string, string] => ['X-Remote-Group', g]));
  return h;
}

async function probe(t: Target, p: Probe, files: Files): Promise<string> {
  const res = await direct(t.url, await readFile(t.caFile, 'utf8'), {
    method: p.method,
    path: p.path,
    headers: Object.fromEntries(
      Object.entries(Object.groupBy(headers(p), ([k]) => k)).map(([k, v]) => [k, v!.map(([, x]) => x)]),
    ),
    body: p.body,
    cert: files.cert,
    key: files.key,
  });
  const problem = res.status !== 200 ? `status ${res.status}` : p.check(res.json());
  if (problem) throw new Error(`${t.name} ${p.method} ${p.path}: ${problem}: ${res.body.slice(0, 500)}`);
  return res.body;
}

async function runScenario(
  s: Scenario,
  targets: Target[],
  files: Files,
  vegeta: string,
  audit: LogTail,
): Promise<ScenarioResult> {
  const plan: { t: Target; p: Probe; bodyFile?: string }[] = [];
  for (const t of targets) {
    const p = t.name === 'sample' ? s.sample : s.ours;
    if (!p) continue;
    const body = await probe(t, p, files);
    // The bare server answers our request with our answer's bytes: the ceiling for shipping them.
    if (t.name === 'ours') {
      await writeFile(join(files.bareBodies, bodyFileName(p.method, p.path, p.accept)), body);
      const bare = targets.find((x) => x.name === 'bare');
      if (bare) process.kill(bare.pid, 'SIGHUP');
    }
    let bodyFile: string | undefined;
    if (p.body !== undefined) {
      bodyFile = join(files.dir, `${s.id}.body`);
      await writeFile(bodyFile, p.body);
    }
    plan.push({ t, p, bodyFile });
  }
  const run = (x: (typeof plan)[number], seconds: number) =>
    attack(vegeta, files.dir, {
      method: x.p.method,
      url: `${x.t.url}${x.p.path}`,
      headers: headers(x.p),
      bodyFile: x.bodyFile,
      certFile: files.certFile,
      keyFile: files.keyFile,
      caFile: x.t.caFile,
      workers: s.connections,
      seconds,
    });
  log(`${s.id}: warm-up ${plan.map((x) => x.t.name).join(', ')}`);
  for (const x of plan) await run(x, SETTINGS.warmupSeconds);
  await audit.skipToEnd();
  const rounds = new Map<ServerName, Round[]>(plan.map((x) => [x.t.name, []]));
  const cpu = new Map<ServerName, number>(plan.map((x) => [x.t.name, 0]));
  for (let r = 0; r < SETTINGS.rounds; r++) {
    for (const x of plan) {
      const before = await cpuSeconds(x.t.pid);
      const round = await run(x, SETTINGS.roundSeconds);
      cpu.set(x.t.name, cpu.get(x.t.name)! + (await cpuSeconds(x.t.pid)) - before);
      rounds.get(x.t.name)!.push(round);
    }
    log(
      `${s.id} round ${r + 1}/${SETTINGS.rounds}: ` +
        plan.map((x) => `${x.t.name} ${Math.round(rounds.get(x.t.name)!.at(-1)!.rps)}/s`).join(', '),
    );
  }
  const reviews = countReviews(
    await audit.read(),
    plan.flatMap((x) => (x.t.user ? [x.t.user] : [])),
  );
  const results = [];
  for (const x of plan) {
    const summary = summarise(x.t.name, rounds.get(x.t.name)!, {
      cpuSeconds: cpu.get(x.t.name)!,
      rssMiB: await rssMiB(x.t.pid),
      reviews: x.t.user ? (reviews[x.t.user] ?? 0) : 0,
    });
    for (const r of summary.rounds)
      if (r.errors)
        log(
          `${s.id} ${x.t.name}: ${r.errors} errors: ${JSON.stringify(r.statusCodes)} ${r.errorMessages.slice(0, 3).join('; ')}`,
        );
    results.push(summary);
  }
  return { id: s.id, title: s.title, connections: s.connections, results };
}

async function createNodes(cp: ControlPlaneInfo, from: number, to: number): Promise<void> {
  const seconds = await createBenchNodes(cp.kubeconfig, from, to);
  log(
    `created ${SMALL_NODES ? 'small' : 'kubelet-shaped'} Nodes ${from}..${to - 1} in ${seconds.toFixed(1)}s`,
  );
}

async function createFlunders(sample: SampleApiserver, caFile: string, files: Files): Promise<void> {
  const ca = await readFile(caFile, 'utf8');
  const indexes = Array.from({ length: FLUNDERS }, (_, i) => i);
  await pool(indexes, 16, async (i) => {
    const res = await direct(sample.url, ca, {
      method: 'POST',
      path: FLUNDERS_PATH,
      headers: {
        'Content-Type': 'application/json',
        'X-Remote-User': 'bench-admin',
        'X-Remote-Group': 'system:masters',
      },
      body: JSON.stringify({
        apiVersion: `${WARDLE_GROUP}/${WARDLE_VERSION}`,
        kind: 'Flunder',
        metadata: { name: flunderName(i), labels: { bench: 'true' } },
        spec: {},
      }),
      cert: files.cert,
      key: files.key,
    });
    if (res.status !== 201) throw new Error(`creating ${flunderName(i)}: ${res.status} ${res.body}`);
  });
}

async function startBare(
  dir: string,
  files: Files,
  serving: { certFile: string; keyFile: string; caFile: string },
  frontProxyCa: string,
) {
  const port = await freePort();
  const proc = startProcess(
    process.execPath,
    [
      join(repoRoot, 'dist/test/bench/bare-server.js'),
      String(port),
      serving.certFile,
      serving.keyFile,
      frontProxyCa,
      files.bareBodies,
    ],
    join(dir, 'bare-server.log'),
  );
  const url = `https://127.0.0.1:${port}`;
  const ca = await readFile(serving.caFile);
  await waitFor('the bare server', async () =>
    (await httpsGet(`${url}/`, { ca, certFile: files.certFile, keyFile: files.keyFile })).status === 404
      ? true
      : undefined,
  );
  return { url, pid: proc.pid };
}

async function output(cmd: string, args: string[]): Promise<string> {
  return (await execFileAsync(cmd, args)).stdout.trim();
}

async function goModVersion(file: string, module: string): Promise<string> {
  const text = await readFile(join(repoRoot, file), 'utf8');
  return new RegExp(`^\\s*${module.replaceAll('.', '\\.')} (v\\S+)`, 'm').exec(text)?.[1] ?? '?';
}

/**
 * NODE_OPTIONS for a CPU profile: V8 writes it on a normal exit only, and Nest answers SIGTERM by re-raising
 * it, so a preloaded listener turns the stop's SIGTERM into process.exit().
 */
async function profileOptions(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const hook = join(dir, 'exit-on-sigterm.mjs');
  await writeFile(hook, "process.once('SIGTERM', () => process.exit(0));\n");
  return `--cpu-prof --cpu-prof-dir=${dir} --import=${hook}`;
}

async function heapOptions(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`;
}

async function main(): Promise<void> {
  const outDir = join(repoRoot, '.bench');
  const work = await mkdtemp(join(tmpdir(), 'kcnm-bench-'));
  const stops: (() => Promise<unknown>)[] = [];
  let failed = false;
  try {
    const [benchBin] = await Promise.all([
      output('bash', [join(repoRoot, 'test/bench/build.sh')]),
      // startControlPlane builds its own binaries first.
    ]);
    const vegeta = join(benchBin, 'vegeta');
    log('starting the control plane');
    const cp = await startControlPlane({ log });
    stops.push(() => stopControlPlane(cp));
    const clients = kubeClients(cp.kubeconfig);
    const clouds: CloudEmulators = await startCloudEmulators({
      ec2: [{ instanceId: EC2_INSTANCE, region: 'us-east-1', availabilityZone: 'us-east-1a' }],
    });
    stops.push(() => clouds.stop());
    await ensureNamespace(clients, NAMESPACE_BENCH);
    await grant(clients, USER, 'bench-user', [
      { apiGroups: [GROUP], resources: ['nodes'], verbs: ['get', 'list'] },
      { apiGroups: [GROUP], resources: ['nodes/restart'], verbs: ['create'] },
      { apiGroups: [WARDLE_GROUP], resources: ['flunders'], verbs: ['get', 'list'] },
    ]);
    await createNodes(cp, 0, LIST_NODES);

    const files: Files = {
      dir: work,
      bareBodies: join(work, 'bare-bodies'),
      certFile: cp.pki.frontProxyClientCert,
      keyFile: cp.pki.frontProxyClientKey,
      cert: await readFile(cp.pki.frontProxyClientCert, 'utf8'),
      key: await readFile(cp.pki.frontProxyClientKey, 'utf8'),
    };
    await mkdir(files.bareBodies);

    const memory = await ourMemoryLimit({ unconstrained: UNCONSTRAINED, heap: HEAP });
    if (typeof memory.cgroup !== 'string') stops.push(memory.cgroup.remove);
    // Each server starts with the control plane at rest, so neither start measures the other's or our set-up's load.
    const quiet = async () => log(`control plane quiet after ${Math.round(await waitForQuiet(cp.pids))} ms`);
    const startOurs = async (register: boolean): Promise<RunningServer> =>
      startServer(cp, {
        entry: OUR_ENTRY,
        register,
        env: {
          ...(ALL_CLOUDS ? clouds.serverEnv : awsOnly(clouds.serverEnv)),
          ...IMAGE_ENV,
          LOG_LEVEL: 'info',
          NODE_OPTIONS: [
            ...(PROFILE ? [await profileOptions(join(outDir, 'profile'))] : []),
            ...(HEAP ? [await heapOptions(join(outDir, 'heap'))] : []),
            ...(OUR_ENV.NODE_OPTIONS ? [OUR_ENV.NODE_OPTIONS] : []),
          ].join(' '),
          ...Object.fromEntries(Object.entries(OUR_ENV).filter(([name]) => name !== 'NODE_OPTIONS')),
        },
        logFile: join(work, 'our-server.log'),
        ...(typeof memory.cgroup !== 'string' && { cgroupProcs: memory.cgroup.procs }),
      });
    const benchCa = await createCertificateAuthority('bench-ca');
    const benchCaFile = join(work, 'bench-ca.crt');
    await writeFile(benchCaFile, benchCa.certPem);
    const startSample = () => startSampleApiserver(cp, benchBin, work, benchCa);

    // One start of each is a single sample of a noisy figure: the servers start several times, alternating,
    // each with the control plane at rest; the last start of each is the one the scenarios run against. A
    // profile or heap snapshot is of that one alone.
    const start = { ours: [] as number[], sample: [] as number[] };
    const starts = PROFILE || HEAP ? 1 : SETTINGS.starts;
    for (let i = 1; i < starts; i++) {
      await quiet();
      const o = await startOurs(false);
      start.ours.push(o.readyMs);
      await o.stop();
      await quiet();
      const x = await startSample();
      start.sample.push(x.readyMs);
      await x.stop();
      log(
        `start ${i}/${starts}: ours ${Math.round(o.readyMs)} ms, sample-apiserver ${Math.round(x.readyMs)} ms`,
      );
    }

    await quiet();
    log(`starting our server (${OUR_ENTRY}, log level info, memory limit: ${memory.description})`);
    const ours = await startOurs(true);
    start.ours.push(ours.readyMs);
    stops.push(() => ours.stop());
    const ourCa = join(work, 'our-ca.crt');
    await writeFile(ourCa, ours.servingCa.certPem);

    await quiet();
    log('starting sample-apiserver');
    const sample = await startSample();
    start.sample.push(sample.readyMs);
    stops.push(() => sample.stop());
    await createFlunders(sample, benchCaFile, files);

    const bare = await startBare(
      work,
      files,
      {
        certFile: join(work, 'sample-apiserver.crt'),
        keyFile: join(work, 'sample-apiserver.key'),
        caFile: benchCaFile,
      },
      cp.pki.frontProxyCaCert,
    );
    stops.push(() => stopPids([bare.pid]));
    log(
      `servers ready: ours in ${Math.round(ours.readyMs)} ms, sample-apiserver in ${Math.round(sample.readyMs)} ms`,
    );

    if (HEAP) log(`heap snapshot once ready: ${await heapSnapshot(ours.pid, join(outDir, 'heap'))}`);
    const targets: Target[] = [
      { name: 'ours', url: ours.url, pid: ours.pid, caFile: ourCa, user: OUR_USER },
      { name: 'sample', url: sample.url, pid: sample.pid, caFile: benchCaFile, user: sample.user },
      { name: 'bare', url: bare.url, pid: bare.pid, caFile: benchCaFile },
    ];
    const audit = new LogTail(cp.auditLog);
    const results: ScenarioResult[] = [];
    for (const s of scenarios(SETTINGS.connections).filter(selected))
      results.push(await runScenario(s, targets, files, vegeta, audit));
    if (selected(TABLE_5000)) {
      await createNodes(cp, LIST_NODES, TABLE_NODES);
      await waitFor('our cache to hold 5,000 Nodes', async () => {
        const res = await direct(ours.url, ours.servingCa.certPem, {
          path: `${OURS}/nodes?limit=1`,
          headers: { 'X-Remote-User': USER, 'X-Remote-Group': USER_GROUPS },
          cert: files.cert,
          key: files.key,
        });
        const meta = (res.json() as { metadata?: { remainingItemCount?: number } }).metadata;
        return meta?.remainingItemCount === TABLE_NODES - 1 ? true : undefined;
      });
      results.push(await runScenario(TABLE_5000, targets, files, vegeta, audit));
    }

    if (HEAP) log(`heap snapshot after load: ${await heapSnapshot(ours.pid, join(outDir, 'heap'))}`);
    const cpu = cpus();
    const report: Report = {
      date: new Date().toISOString(),
      machine: {
        cpu: cpu[0]?.model ?? '?',
        cores: String(cpu.length),
        memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
        kernel: `Linux ${release()}`,
      },
      versions: {
        'k8s-cloud-node-manager': `${JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')).version} (${await output('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD'])})`,
        node: process.version,
        'kube-apiserver': await goModVersion('test/control-plane/go.mod', 'k8s.io/kubernetes'),
        'sample-apiserver': await goModVersion('test/bench/go.mod', 'k8s.io/sample-apiserver'),
        vegeta: await goModVersion('test/bench/go.mod', 'github.com/tsenart/vegeta/v12'),
        go: (await output('go', ['env', 'GOVERSION'])) || '?',
      },
      settings: {
        mode: QUICK ? 'quick' : 'full',
        ...SETTINGS,
        entry: OUR_ENTRY,
        clouds: ALL_CLOUDS ? 'aws, tencent, simulated' : 'aws',
        nodes: SMALL_NODES ? 'small (~1 KB, --small-nodes)' : 'as a kubelet on EKS writes them (~15 KB)',
        'our memory limit': memory.description,
        'our environment from the Dockerfile': Object.entries(IMAGE_ENV)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
        ...(Object.keys(OUR_ENV).length > 0 && {
          'our extra environment': Object.entries(OUR_ENV)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
        }),
      },
      start,
      scenarios: results,
      targets: checkTargets(results, start),
    };
    await mkdir(outDir, { recursive: true });
    const stamp = report.date.replaceAll(':', '-').slice(0, 19);
    const md = renderMarkdown(report);
    for (const name of [`bench-${stamp}`, 'latest']) {
      await writeFile(join(outDir, `${name}.json`), JSON.stringify(report, null, 2));
      await writeFile(join(outDir, `${name}.md`), md);
    }
    console.log(md);
    log(`report written to ${join(outDir, `bench-${stamp}.{md,json}`)}`);
    const errors = totalErrors(results);
    if (errors > 0) {
      log(`FAILED: ${errors} requests failed`);
      failed = true;
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: Error) => log(`stopping: ${err.message}`));
    await rm(work, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

const SCALE = process.argv.find((a) => a.startsWith('--scale='));
(SCALE
  ? runScale(
      SCALE.slice('--scale='.length)
        .split(',')
        .map(Number)
        .sort((a, b) => a - b),
    )
  : main()
).catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
