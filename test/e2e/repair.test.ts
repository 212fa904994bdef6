// Auto-repair against the real control plane, the EC2 emulator and a played kubelet: a node NotReady past its
// policy's notReadyTimeout is restarted exactly once (one RebootInstances for its instance) as the server's own
// identity, naming the policy, and comes back; a mass outage above maxUnhealthy restarts nothing; DryRun restarts
// nothing; with two replicas one leads and the node is restarted once; a node that never comes back is restarted
// maxRepairsPerHour times, then given up on. And the API: a 422 below the notReadyTimeout floor, kubectl get and
// patch, a stale update's 409, RBAC of its own (and nodes/reset for a Hard policy), delete. The floor of
// notReadyTimeout is lowered (not for production) so that each runs in seconds.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../control-plane/processes.js';
import type { CloudEmulators } from '../support/clouds.js';
import { direct, viaApiserver } from '../support/direct.js';
import { parseMetrics, sampleValue, type Sample } from '../support/metrics.js';
import { playKubelet, rebootedInstances } from '../support/kubelet.js';
import { updateNodeStatus } from '../support/nodes.js';
import { GROUP, restartPath, startServer, type RunningServer } from '../support/server.js';
import { kubectl } from '../support/kube.js';
import { e2eSuite } from '../support/suite.js';
import { grant, userKubeconfig } from '../support/users.js';

const POOLS = ['once', 'outage', 'dry', 'two', 'backoff', 'acted'];
const PER_POOL = 3;
/** Node name → instance id: repair-once-1 → i-0e000000000000011, … */
const NODES = new Map(
  POOLS.flatMap((pool, p) =>
    Array.from({ length: PER_POOL }, (_, i) => [`repair-${pool}-${i + 1}`, `i-0e0000000000000${p}${i + 1}`]),
  ),
);
const SERVER_ARGS = ['--repair-min-not-ready-timeout=1s', '--restart-timeout=6s'];
const SERVER_IDENTITY = 'system:serviceaccount:k8s-cloud-node-manager:k8s-cloud-node-manager';

const suite = await e2eSuite();
const { cp, clients } = suite;
let clouds: CloudEmulators;
let server: RunningServer;
/** Nodes whose machines go down when rebooted and never come back. */
const stayDown = new Set<string>(['repair-backoff-1', 'repair-acted-1']);

before(async () => {
  clouds = await suite.clouds({
    ec2: [...NODES.values()].map((instanceId) => ({
      instanceId,
      region: 'us-east-1',
      availabilityZone: 'us-east-1a',
    })),
  });
  await suite.nodes(
    [...NODES].map(([name, id]) => ({
      name,
      providerID: `aws:///us-east-1a/${id}`,
      labels: { 'e2e-repair': name.split('-')[1]! },
    })),
  );
  const kubelet = playKubelet(clients.core, {
    nodesByInstance: new Map([...NODES].map(([node, id]) => [id, node])),
    sources: [clouds.ec2],
    downMs: 1500,
    stayDown,
  });
  suite.defer(() => kubelet.stop());
  server = await suite.server({ env: { ...clouds.serverEnv, LOG_LEVEL: 'info' }, args: SERVER_ARGS });
});

const policiesPath = `/apis/${GROUP}/v1/noderepairpolicies`;

interface Policy {
  metadata: { name: string; resourceVersion: string; generation: number };
  spec: Record<string, unknown>;
  status: {
    watchedNodes: number;
    unhealthyNodes: number;
    message: string;
    conditions: { type: string; status: string; message: string }[];
    nodes: {
      name: string;
      phase: string;
      reason?: string;
      repairs: string[];
      operationID?: string;
      message: string;
    }[];
  };
}

async function createPolicy(name: string, pool: string, spec: object = {}): Promise<Policy> {
  const res = await viaApiserver(cp, {
    method: 'POST',
    path: policiesPath,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      apiVersion: `${GROUP}/v1`,
      kind: 'NodeRepairPolicy',
      metadata: { name },
      spec: { nodeSelector: `e2e-repair=${pool}`, notReadyTimeout: '3s', maxUnhealthy: 1, ...spec },
    }),
  });
  assert.equal(res.status, 201, res.body);
  after(() => viaApiserver(cp, { method: 'DELETE', path: `${policiesPath}/${name}` }));
  return res.json() as unknown as Policy;
}

async function readPolicy(name: string): Promise<Policy> {
  const res = await viaApiserver(cp, { path: `${policiesPath}/${name}` });
  assert.equal(res.status, 200, res.body);
  return res.json() as unknown as Policy;
}

/** Our server's /metrics, as the cluster admin (client certificate; system:masters passes the review). */
async function scrape(): Promise<Sample[]> {
  const [cert, key] = await Promise.all([
    readFile(cp.pki.adminCert, 'utf8'),
    readFile(cp.pki.adminKey, 'utf8'),
  ]);
  const res = await direct(server.url, server.servingCa.certPem, { path: '/metrics', cert, key });
  assert.equal(res.status, 200, res.body);
  return parseMetrics(res.body);
}

/** The policy once `done` holds of it; on a timeout, the error shows its status and the server's last log lines. */
async function policyWhen(
  name: string,
  what: string,
  done: (p: Policy) => boolean,
  timeoutMs = 30_000,
): Promise<Policy> {
  let last: Policy | undefined;
  try {
    return await waitFor(
      what,
      async () => {
        last = await readPolicy(name);
        return done(last) ? last : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    const logs = (await server.flushedLogs()).split('\n').slice(-30).join('\n');
    throw new Error(`${(err as Error).message}\nstatus: ${JSON.stringify(last?.status)}\nlogs:\n${logs}`);
  }
}

const rebootsOf = (node: string) =>
  clouds.ec2.calls.flatMap(rebootedInstances).filter((id) => id === NODES.get(node)).length;
const entry = (policy: Policy, node: string) => policy.status.nodes.find((n) => n.name === node);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventsOf(node: string): Promise<{ reason?: string; message?: string }[]> {
  const list = await clients.core.listNamespacedEvent({
    namespace: 'default',
    fieldSelector: `involvedObject.name=${node}`,
  });
  return list.items;
}

test('a node NotReady past notReadyTimeout is restarted exactly once, as the server, naming the policy', async () => {
  await createPolicy('once', 'once');
  await updateNodeStatus(clients.core, 'repair-once-1', { ready: false });
  const repaired = await policyWhen(
    'once',
    'the node to be repaired',
    (policy) => entry(policy, 'repair-once-1')?.phase === 'Repaired',
  );
  assert.equal(repaired.status.watchedNodes, 3);
  assert.equal(entry(repaired, 'repair-once-1')!.repairs.length, 1);
  const op = await viaApiserver(cp, { path: restartPath('repair-once-1') });
  const restart = op.json() as { spec: { reason: string }; status: { phase: string; requestedBy: string } };
  assert.equal(restart.status.phase, 'Succeeded');
  assert.equal(restart.status.requestedBy, SERVER_IDENTITY);
  assert.match(restart.spec.reason, /^node repair policy once: NotReady for more than 3s$/);
  const node = await clients.core.readNode({ name: 'repair-once-1' });
  assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  // Longer than a threshold and several passes: still one reboot, and nothing else restarted.
  await sleep(5000);
  assert.equal(rebootsOf('repair-once-1'), 1);
  assert.deepEqual(['repair-once-2', 'repair-once-3'].map(rebootsOf), [0, 0]);
  const events = await eventsOf('repair-once-1');
  assert.ok(
    events.some(
      (e) =>
        e.reason === 'RestartRequested' &&
        /requested by .* \(reason: node repair policy once:/.test(e.message ?? ''),
    ),
    JSON.stringify(events.map((e) => e.message)),
  );
  assert.match(
    await server.flushedLogs(),
    /node repair policy once: restarting node repair-once-1 as system:serviceaccount:/,
  );
  const repairs = (result: string) =>
    scrape().then((m) => sampleValue(m, 'cloud_node_manager_node_repairs_total', { policy: 'once', result }));
  assert.deepEqual([await repairs('started'), await repairs('succeeded')], [1, 1]);
});

test('a mass outage above maxUnhealthy restarts nothing, and says why', async () => {
  await createPolicy('outage', 'outage');
  await updateNodeStatus(clients.core, 'repair-outage-1', { ready: false });
  await updateNodeStatus(clients.core, 'repair-outage-2', { ready: false });
  const skipped = await policyWhen(
    'outage',
    'the outage to be recorded',
    (policy) => policy.status.nodes.length === 2,
  );
  assert.deepEqual(
    skipped.status.nodes.map((n) => [n.name, n.phase, n.reason]),
    [
      ['repair-outage-1', 'Skipped', 'MaxUnhealthy'],
      ['repair-outage-2', 'Skipped', 'MaxUnhealthy'],
    ],
  );
  const exceeded = skipped.status.conditions.find((c) => c.type === 'MaxUnhealthyExceeded')!;
  assert.equal(exceeded.status, 'True');
  assert.match(exceeded.message, /^2 of 3 selected nodes are NotReady, more than maxUnhealthy 1 \(1\)/);
  await sleep(4000);
  assert.deepEqual(
    [1, 2, 3].map((i) => rebootsOf(`repair-outage-${i}`)),
    [0, 0, 0],
  );
  const skips = await scrape();
  const reason = { policy: 'outage', reason: 'MaxUnhealthy' };
  assert.equal(sampleValue(skips, 'cloud_node_manager_node_repairs_skipped_total', reason), 2);
  assert.equal(sampleValue(skips, 'cloud_node_manager_node_repairs_total', { policy: 'outage' }), undefined);
  const events = await eventsOf('repair-outage-1');
  assert.ok(
    events.some(
      (e) => e.reason === 'NodeRepairSkipped' && /node repair policy outage:/.test(e.message ?? ''),
    ),
  );
});

test('DryRun records what it would restart and restarts nothing', async () => {
  await createPolicy('dry', 'dry', { mode: 'DryRun' });
  await updateNodeStatus(clients.core, 'repair-dry-1', { ready: false });
  const dry = await policyWhen(
    'dry',
    'the dry run to be recorded',
    (policy) => entry(policy, 'repair-dry-1')?.phase === 'WouldRepair',
  );
  assert.match(entry(dry, 'repair-dry-1')!.message, /^dry run: would restart the node, NotReady for /);
  await sleep(4000);
  assert.equal(rebootsOf('repair-dry-1'), 0);
  assert.equal((await viaApiserver(cp, { path: restartPath('repair-dry-1') })).status, 404, 'no operation');
  const events = await eventsOf('repair-dry-1');
  assert.ok(events.some((e) => e.reason === 'NodeRepairDryRun'));
});

test('two replicas: one leads, and the node is restarted once', async () => {
  const second = await startServer(cp, {
    env: { ...clouds.serverEnv, LOG_LEVEL: 'info' },
    args: SERVER_ARGS,
    register: false,
  });
  after(second.stop);
  await createPolicy('two', 'two');
  await updateNodeStatus(clients.core, 'repair-two-1', { ready: false });
  await policyWhen(
    'two',
    'the node to be repaired',
    (policy) => entry(policy, 'repair-two-1')?.phase === 'Repaired',
  );
  await sleep(5000);
  assert.equal(rebootsOf('repair-two-1'), 1);
  const said = (logs: string) => /node repair policy two: restarting node repair-two-1/.test(logs);
  const [first, other] = await Promise.all([server.flushedLogs(), second.flushedLogs()]);
  assert.equal([first, other].filter(said).length, 1, 'one replica asked for the restart');
  const leader = await clients.coordination.readNamespacedLease({
    name: 'k8s-cloud-node-manager-repair-leader',
    namespace: 'k8s-cloud-node-manager',
  });
  const leading = [first, other].filter((logs) =>
    logs.includes(`leading node repairs as ${leader.spec?.holderIdentity}`),
  );
  assert.equal(leading.length, 1, 'one replica leads, the one the Lease names');
  assert.ok(!/leading node repairs/.test(other), 'the replica started second does not lead');
  assert.equal(leader.spec?.leaseDurationSeconds, 15);
});

test('a node that never comes back is restarted maxRepairsPerHour times, then given up on', async () => {
  await createPolicy('backoff', 'backoff', { maxRepairsPerHour: 2 });
  await updateNodeStatus(clients.core, 'repair-backoff-1', { ready: false });
  const gaveUp = await policyWhen(
    'backoff',
    'the policy to give up',
    (policy) => entry(policy, 'repair-backoff-1')?.phase === 'GaveUp',
    90_000,
  );
  assert.equal(rebootsOf('repair-backoff-1'), 2);
  assert.match(entry(gaveUp, 'repair-backoff-1')!.message, /maxRepairsPerHour 2\); a human is needed$/);
  const attention = gaveUp.status.conditions.find((c) => c.type === 'NeedsAttention')!;
  assert.equal(attention.status, 'True');
  await sleep(4000);
  assert.equal(rebootsOf('repair-backoff-1'), 2, 'no more after giving up');
  const events = await eventsOf('repair-backoff-1');
  assert.ok(
    events.some(
      (e) => e.reason === 'NodeRepairGaveUp' && /node repair policy backoff:/.test(e.message ?? ''),
    ),
  );
});

test('a repair the cloud carried out before answering 500 counts: repaired maxRepairsPerHour times, then given up on', async () => {
  const node = 'repair-acted-1';
  const fault = clouds.ec2.inject({
    fault: 'internal-error',
    afterExecuting: true,
    action: 'RebootInstances',
    times: Infinity,
  });
  try {
    await createPolicy('acted', 'acted', { maxRepairsPerHour: 2 });
    await updateNodeStatus(clients.core, node, { ready: false });
    const gaveUp = await policyWhen(
      'acted',
      'the policy to give up',
      (policy) => entry(policy, node)?.phase === 'GaveUp',
      60_000,
    );
    const executed = () => clouds.ec2.executed('RebootInstances', NODES.get(node)).length;
    assert.equal(entry(gaveUp, node)!.repairs.length, 2);
    assert.equal(executed(), 2);
    await sleep(4000);
    assert.equal(executed(), 2, 'no more after giving up');
  } finally {
    fault.cancel();
  }
});

test('the API: 422 below the floor, kubectl get and patch, update with generation, RBAC of its own, delete', async () => {
  const post = (body: object, user?: { cert: string; key: string }) =>
    viaApiserver(
      cp,
      {
        method: 'POST',
        path: policiesPath,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ apiVersion: `${GROUP}/v1`, kind: 'NodeRepairPolicy', ...body }),
      },
      user,
    );
  const low = await post({
    metadata: { name: 'low' },
    spec: { nodeSelector: 'a=b', notReadyTimeout: '500ms' },
  });
  assert.equal(low.status, 422, low.body);
  const status = low.json() as { reason: string; details: { causes: { field: string; message: string }[] } };
  assert.equal(status.reason, 'Invalid');
  assert.deepEqual(status.details.causes, [
    {
      reason: 'FieldValueInvalid',
      field: 'spec.notReadyTimeout',
      message: 'Invalid value: "500ms": must be at least 1s',
    },
  ]);

  await createPolicy('api', 'once', { notReadyTimeout: '1h', mode: 'DryRun' });
  const table = await kubectl(cp, ['get', `noderepairpolicies.${GROUP}`, 'api']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(
    table.stdout,
    /^NAME\s+SELECTOR\s+MODE\s+TIMEOUT\s+WATCHED\s+NOTREADY\s+REPAIRING\s+GAVE-UP\s+AGE\n/,
  );
  assert.match(table.stdout, /\napi\s+e2e-repair=once\s+DryRun\s+1h\s+/);
  const patched = await kubectl(cp, [
    'patch',
    `noderepairpolicies.${GROUP}`,
    'api',
    '--type=merge',
    '-p',
    JSON.stringify({ spec: { maxRepairsPerHour: 5 } }),
  ]);
  assert.equal(patched.code, 0, patched.stderr);
  const current = await readPolicy('api');
  assert.deepEqual([current.metadata.generation, current.spec['maxRepairsPerHour']], [2, 5]);
  const stale = await viaApiserver(cp, {
    method: 'PUT',
    path: `${policiesPath}/api`,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      ...current,
      metadata: { name: 'api', resourceVersion: '1' },
      spec: { ...current.spec, mode: 'Repair' },
    }),
  });
  assert.equal(stale.status, 409, stale.body);

  // Writing policies is its own RBAC resource: restarting nodes does not allow it, and Hard needs nodes/reset.
  const user = 'repair-author-rita';
  await userKubeconfig(cp, user);
  const revoke = await grant(clients, user, 'e2e-repair-author', [
    { apiGroups: [GROUP], resources: ['nodes/restart', 'restartbatches'], verbs: ['create'] },
  ]);
  after(revoke);
  const base = join(cp.dir, `user-${user}`);
  const asRita = { cert: `${base}.crt`, key: `${base}.key` };
  const denied = await post({ metadata: { name: 'rita' }, spec: { nodeSelector: 'a=b' } }, asRita);
  assert.equal(denied.status, 403, denied.body);
  const revokePolicies = await grant(clients, user, 'e2e-repair-author-policies', [
    { apiGroups: [GROUP], resources: ['noderepairpolicies'], verbs: ['create'] },
  ]);
  after(revokePolicies);
  const hard = await post(
    { metadata: { name: 'rita' }, spec: { nodeSelector: 'a=b', options: { mode: 'Hard' } } },
    asRita,
  );
  assert.equal(hard.status, 403, hard.body);
  assert.match((hard.json() as { message: string }).message, /cannot create resource "nodes\/reset"/);

  const deleted = await viaApiserver(cp, { method: 'DELETE', path: `${policiesPath}/api` });
  assert.equal(deleted.status, 200, deleted.body);
  assert.equal((await viaApiserver(cp, { path: `${policiesPath}/api` })).status, 404);
});
