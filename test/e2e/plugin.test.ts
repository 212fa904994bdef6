// The kubectl-restart plugin, run by the real kubectl (plugin discovery on PATH) against the local control plane,
// our server and the EC2 emulator, with this test playing the kubelet: it restarts a node (plain and drained) and
// follows the restart's phases with --wait, restarts the nodes a selector matches as one RestartBatch, shows a
// Forbidden user kube-apiserver's Status, and keeps kubectl's exit codes and output formats.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CloudEmulators } from '../support/clouds.js';
import { playKubelet } from '../support/kubelet.js';
import { viaApiserver } from '../support/direct.js';
import { installPlugin } from '../support/kubectl-plugin.js';
import { GROUP } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { grant, userKubeconfig } from '../support/users.js';

const AWS_NODE = 'plugin-aws-1';
const AWS_NODE_2 = 'plugin-aws-2';
const SIM_NODE = 'plugin-sim-1';
const INSTANCE = 'i-0fedcba9876543210';
const INSTANCE_2 = 'i-0fedcba9876543211';
const VIEWER = 'plugin-viewer';
/** May create batches, and restart AWS_NODE only. */
const RESTARTER = 'plugin-restarter';
/** The nodes the batch tests restart: both played by this test's kubelet. */
const BATCH = { label: 'plugin-batch', nodes: [AWS_NODE, AWS_NODE_2] };

const suite = await e2eSuite();
const { cp, clients } = suite;
let clouds: CloudEmulators;
let binDir: string;
let viewerKubeconfig: string;
let restarterKubeconfig: string;

before(async () => {
  clouds = await suite.clouds({
    ec2: [INSTANCE, INSTANCE_2].map((instanceId) => ({
      instanceId,
      region: 'us-east-1',
      availabilityZone: 'us-east-1b',
    })),
  });
  await suite.server({ env: clouds.serverEnv });
  await suite.nodes([
    {
      name: AWS_NODE,
      providerID: `aws:///us-east-1b/${INSTANCE}`,
      labels: { pool: 'plugin', [BATCH.label]: 'yes' },
    },
    { name: AWS_NODE_2, providerID: `aws:///us-east-1b/${INSTANCE_2}`, labels: { [BATCH.label]: 'yes' } },
    {
      name: SIM_NODE,
      providerID: 'simulated:///sim-east-1/sim-east-1a/sim-plugin-1',
      labels: { pool: 'plugin' },
    },
  ]);
  const kubelet = playKubelet(clients.core, {
    nodesByInstance: new Map([
      [INSTANCE, AWS_NODE],
      [INSTANCE_2, AWS_NODE_2],
    ]),
    sources: [clouds.ec2],
    // Long enough for --wait, polling every second, to see NotReady.
    downMs: 2500,
  });
  suite.defer(() => kubelet.stop());
  binDir = await mkdtemp(join(tmpdir(), 'kcnm-plugin-'));
  suite.defer(() => rm(binDir, { recursive: true, force: true }));
  await installPlugin(binDir);
  viewerKubeconfig = await userKubeconfig(cp, VIEWER);
  const revoke = await grant(clients, VIEWER, 'plugin-test-viewer', [
    { apiGroups: [GROUP], resources: ['nodes'], verbs: ['get', 'list'] },
  ]);
  suite.defer(revoke);
  restarterKubeconfig = await userKubeconfig(cp, RESTARTER);
  const revokeRestarter = await grant(clients, RESTARTER, 'plugin-test-restarter', [
    { apiGroups: [GROUP], resources: ['restartbatches'], verbs: ['create', 'get'] },
    { apiGroups: [GROUP], resources: ['nodes/restart'], verbs: ['create'], resourceNames: [AWS_NODE] },
  ]);
  suite.defer(revokeRestarter);
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** `kubectl restart ARGS` as a user types it: the plugin found on PATH, the kubeconfig from KUBECONFIG. */
function kubectlRestart(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      join(cp.binDir, 'kubectl'),
      ['restart', ...args],
      {
        timeout: 60_000,
        env: { PATH: `${binDir}:${process.env.PATH}`, HOME: binDir, KUBECONFIG: cp.kubeconfig, ...env },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

const PHASES = [
  'Accepted',
  'Cordoned',
  'Draining',
  'RebootRequested',
  'NotReady',
  'Ready',
  'Uncordoned',
  'Succeeded',
];

/** The phases of the live lines for `q`, in order, each once. */
const phases = (stdout: string, q: string): string[] => [
  ...new Set([...stdout.matchAll(new RegExp(`^${q} (\\w+): `, 'gm'))].map((m) => m[1]!)),
];

const bootID = async (name: string) => (await clients.core.readNode({ name })).status?.nodeInfo?.bootID;

test('kubectl restart NODE --wait reboots the instance and prints the restart’s phases, line by line, exit 0', async () => {
  const before = await bootID(AWS_NODE);
  const res = await kubectlRestart([AWS_NODE, '--wait', '--timeout=60s']);
  assert.equal(res.code, 0, res.stderr);
  const q = `node.${GROUP}/${AWS_NODE}`;
  assert.match(res.stdout, new RegExp(`^${q} restart requested \\(aws ${INSTANCE} us-east-1b`, 'm'));
  assert.deepEqual(phases(res.stdout, q), ['RebootRequested', 'NotReady', 'Succeeded']);
  assert.match(
    res.stdout,
    new RegExp(`^${q} RebootRequested: aws accepted the \\w+ reboot of instance ${INSTANCE}`, 'm'),
  );
  assert.match(
    res.stdout,
    new RegExp(`^${q} Succeeded: node ${AWS_NODE} is Ready again with a new bootID`, 'm'),
  );
  assert.match(res.stdout, /^1 of 1 node restarted in \d+s$/m);
  assert.equal(res.stderr, '');
  assert.equal(clouds.ec2.instance(INSTANCE)?.rebootCount, 1);
  assert.notEqual(await bootID(AWS_NODE), before);
});

test('--drain --wait on a node with no pods: cordoned, rebooted, uncordoned, Succeeded', async () => {
  const reboots = clouds.ec2.instance(INSTANCE)!.rebootCount;
  const res = await kubectlRestart([AWS_NODE, '--drain', '--drain-timeout=30s', '--wait', '--timeout=60s']);
  assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
  const q = `node.${GROUP}/${AWS_NODE}`;
  // The answer is RebootRequested, or Draining when the server's follower claimed the reboot first. Ready,
  // Uncordoned and Succeeded are written in one go, too fast to poll; Succeeded's message says the cordon was lifted.
  const seen = phases(res.stdout, q);
  assert.deepEqual(
    seen,
    PHASES.filter((p) => seen.includes(p)),
    `phases out of order: ${seen.join(', ')}`,
  );
  assert.deepEqual(seen.slice(-2), ['NotReady', 'Succeeded']);
  assert.match(res.stdout, new RegExp(`^${q} Succeeded: .*; node ${AWS_NODE} uncordoned$`, 'm'));
  assert.match(res.stdout, /^1 of 1 node restarted in \d+s$/m);
  assert.equal(clouds.ec2.instance(INSTANCE)?.rebootCount, reboots + 1);
  assert.notEqual((await clients.core.readNode({ name: AWS_NODE })).spec?.unschedulable, true);
});

test('a user without create on nodes/restart gets kube-apiserver’s Forbidden Status and exit 1', async () => {
  const reboots = clouds.ec2.instance(INSTANCE)?.rebootCount;
  const res = await kubectlRestart(['node', AWS_NODE, '--kubeconfig', viewerKubeconfig]);
  assert.equal(res.code, 1);
  assert.equal(res.stdout, '');
  assert.equal(
    res.stderr,
    `Error from server (Forbidden): nodes.${GROUP} "${AWS_NODE}" is forbidden: User "${VIEWER}" cannot create ` +
      `resource "nodes/restart" in API group "${GROUP}" at the cluster scope\n`,
  );
  assert.equal(clouds.ec2.instance(INSTANCE)?.rebootCount, reboots);
});

test('usage errors exit 2 without calling the cluster', async () => {
  for (const args of [
    [],
    ['--mode=Gentle', AWS_NODE],
    ['-o', 'table', AWS_NODE],
    ['--drain-timeout=5m', AWS_NODE],
    [AWS_NODE, '-l', 'a=b'],
    [AWS_NODE, '--max-unavailable=2'],
    ['--bogus'],
  ]) {
    const res = await kubectlRestart(args);
    assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.match(res.stderr, /^error: .+\nSee 'kubectl restart --help' for usage\.\n$/);
  }
});

test('--dry-run=server -o json prints the NodeRestart answer and restarts nothing', async () => {
  const reboots = clouds.ec2.instance(INSTANCE)?.rebootCount;
  const res = await kubectlRestart(['node', AWS_NODE, '--dry-run=server', '-o', 'json']);
  assert.equal(res.code, 0, res.stderr);
  const answer = JSON.parse(res.stdout) as {
    kind: string;
    spec: { dryRun: string[] };
    status: { dryRun: boolean; phase: string };
  };
  assert.equal(answer.kind, 'NodeRestart');
  assert.deepEqual(answer.spec.dryRun, ['All']);
  assert.equal(answer.status.dryRun, true);
  assert.equal(answer.status.phase, 'DryRun');
  assert.equal(clouds.ec2.instance(INSTANCE)?.rebootCount, reboots);

  const yaml = await kubectlRestart([AWS_NODE, '--dry-run=server', '-o', 'yaml']);
  assert.equal(yaml.code, 0, yaml.stderr);
  const fromYaml = parse(yaml.stdout) as typeof answer;
  assert.equal(fromYaml.kind, 'NodeRestart');
  assert.equal(fromYaml.status.phase, 'DryRun');
});

test('-l selects nodes by label; -o name prints one kubectl name each', async () => {
  const res = await kubectlRestart(['-l', 'pool=plugin', '--dry-run=server', '-o', 'name']);
  assert.equal(res.code, 0, res.stderr);
  assert.deepEqual(res.stdout.trim().split('\n').sort(), [
    `node.${GROUP}/${AWS_NODE}`,
    `node.${GROUP}/${SIM_NODE}`,
  ]);
});

const batchReboots = () => [INSTANCE, INSTANCE_2].map((id) => clouds.ec2.instance(id)?.rebootCount ?? 0);
const batchesPath = `/apis/${GROUP}/v1/restartbatches`;
/** kubectl restart -l on the batch tests' nodes. */
const restartBatchNodes = (...args: string[]) => kubectlRestart(['-l', `${BATCH.label}=yes`, ...args]);

test('-l --max-unavailable=2 --wait restarts the matching nodes as one RestartBatch and follows it to Succeeded', async () => {
  const before = batchReboots();
  const res = await restartBatchNodes(
    '--max-unavailable=2',
    '--reason=kernel update',
    '--wait',
    '--timeout=60s',
  );
  assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
  const created = new RegExp(
    `^restartbatch\\.${GROUP}/(restart-[a-z0-9]{5}) created: restarts 2 nodes matching ${BATCH.label}=yes, at most 2 at a time$`,
    'm',
  ).exec(res.stdout);
  assert.ok(created, res.stdout);
  const name = created[1]!;
  for (const node of BATCH.nodes) {
    const q = `node.${GROUP}/${node}`;
    assert.equal(phases(res.stdout, q).at(-1), 'Succeeded', res.stdout);
    assert.match(
      res.stdout,
      new RegExp(`^${q} Succeeded: node ${node} is Ready again with a new bootID`, 'm'),
    );
  }
  assert.match(
    res.stdout,
    new RegExp(`^restartbatch\\.${GROUP}/${name} Succeeded: 2 nodes: 2 Succeeded`, 'm'),
  );
  // Both at once: the kubelet keeps each node down 2.5s, longer than a poll.
  assert.match(
    res.stdout,
    new RegExp(`^restartbatch\\.${GROUP}/${name} Running: 2 nodes: 2 Restarting;`, 'm'),
  );
  assert.match(res.stdout, /^2 of 2 nodes restarted in \d+s$/m);
  assert.equal(res.stderr, '');
  assert.deepEqual(
    batchReboots(),
    before.map((n) => n + 1),
  );
  // The batch the server ran carried the flags.
  const batch = (await viaApiserver(cp, { path: `${batchesPath}/${name}` })).json() as {
    spec: { maxUnavailable: number; options: { reason?: string } };
  };
  assert.equal(batch.spec.maxUnavailable, 2);
  assert.equal(batch.spec.options.reason, 'kernel update');
});

test('a batch dry run lists the nodes it would restart, stores nothing and restarts nothing', async () => {
  const before = batchReboots();
  const res = await restartBatchNodes('--max-unavailable=1', '--dry-run=server');
  assert.equal(res.code, 0, res.stderr);
  const lines = res.stdout.split('\n');
  const head = new RegExp(
    `^restartbatch\\.${GROUP}/(restart-[a-z0-9]{5}) created \\(server dry run\\): would restart 2 nodes matching ${BATCH.label}=yes, at most 1 at a time$`,
  ).exec(lines[0]!);
  assert.ok(head, res.stdout);
  assert.deepEqual(lines.slice(1), [...BATCH.nodes.map((n) => `  node.${GROUP}/${n}`), '']);
  assert.equal((await viaApiserver(cp, { path: `${batchesPath}/${head[1]}` })).status, 404);
  assert.deepEqual(batchReboots(), before);

  const json = await restartBatchNodes('--max-unavailable=1', '--dry-run=server', '-o', 'json');
  assert.equal(json.code, 0, json.stderr);
  const object = JSON.parse(json.stdout) as { kind: string; status: { nodes: { name: string }[] } };
  assert.equal(object.kind, 'RestartBatch');
  assert.deepEqual(
    object.status.nodes.map((n) => n.name),
    BATCH.nodes,
  );
});

test('a batch is refused as kubectl shows it: 422 when nothing matches, 403 for a node the user may not restart', async () => {
  const before = batchReboots();
  const none = await kubectlRestart(['-l', `${BATCH.label}=none`, '--max-unavailable=2']);
  assert.equal(none.code, 1);
  assert.equal(none.stdout, '');
  assert.match(
    none.stderr,
    new RegExp(
      `^The RestartBatch "restart-[a-z0-9]{5}" is invalid: spec\\.labelSelector: Invalid value: "${BATCH.label}=none": matches no nodes\n$`,
    ),
  );
  // The restarter may restart AWS_NODE, not SIM_NODE, which pool=plugin also selects: the whole batch is refused.
  const forbidden = await kubectlRestart([
    '-l',
    'pool=plugin',
    '--max-unavailable=2',
    '--kubeconfig',
    restarterKubeconfig,
  ]);
  assert.equal(forbidden.code, 1);
  assert.equal(forbidden.stdout, '');
  assert.match(
    forbidden.stderr,
    new RegExp(
      `^Error from server \\(Forbidden\\): nodes\\.${GROUP} "${SIM_NODE}" is forbidden: User "${RESTARTER}" cannot create resource "nodes/restart" in API group "${GROUP}" at the cluster scope`,
    ),
  );
  assert.deepEqual(batchReboots(), before);
});

test('a missing node fails with NotFound (exit 1) while the others go ahead', async () => {
  const res = await kubectlRestart([SIM_NODE, 'plugin-no-such-node', '--dry-run=server']);
  assert.equal(res.code, 1);
  assert.match(
    res.stdout,
    new RegExp(`^node\\.${GROUP}/${SIM_NODE} restart allowed \\(server dry run\\)`, 'm'),
  );
  assert.match(res.stderr, /^Error from server \(NotFound\): .*"plugin-no-such-node" not found$/m);
});

test('--wait gives up at --timeout with exit 1 when the node never comes back', async () => {
  // Nobody plays the simulated node's kubelet, so its restart stays RebootRequested.
  const res = await kubectlRestart([SIM_NODE, '--wait', '--timeout=3s']);
  assert.equal(res.code, 1, res.stderr);
  assert.match(
    res.stdout,
    new RegExp(`^node\\.${GROUP}/${SIM_NODE} timed out after 3s: RebootRequested: `, 'm'),
  );
  assert.match(
    res.stdout,
    new RegExp(`^0 of 1 node restarted in \\d+s; failed: ${SIM_NODE} \\(timed out\\)$`, 'm'),
  );
});

test('--context must name a context of the kubeconfig', async () => {
  const res = await kubectlRestart([AWS_NODE, '--context', 'elsewhere']);
  assert.equal(res.code, 1);
  assert.equal(res.stderr, 'error: context was not found for specified context: elsewhere\n');
});
