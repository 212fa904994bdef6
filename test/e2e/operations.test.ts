// Restarts as operations that survive the request: followed to Succeeded by the Node's bootID and Ready
// condition (the test plays the kubelet), failed at their deadline, exclusive per node across replicas,
// limited by the concurrency budget, and told as Events on the Node.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { waitFor } from '../control-plane/processes.js';
import type { CloudEmulators } from '../support/clouds.js';
import { direct, viaApiserver, type DirectResponse } from '../support/direct.js';
import { kubectl } from '../support/kube.js';
import { bootAgain, updateNodeStatus } from '../support/nodes.js';
import { restartPath, type RunningServer } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { parseMetrics, sampleValue } from '../support/metrics.js';
import { RESTART_ANNOTATION } from '../../src/restarts/operations/restart-annotation.js';

const RESTART_TIMEOUT_S = 6;
const INSTANCE = 'i-0b1b2c3d4e5f60001';
const HELD_INSTANCE = 'i-0b1b2c3d4e5f60002';
const NODES: Record<string, string> = {
  'op-aws': `aws:///us-east-1a/${INSTANCE}`,
  'op-aws-held': `aws:///us-east-1a/${HELD_INSTANCE}`,
  'op-sim-1': 'simulated:///sim-east-1/sim-east-1a/sim-op-1',
  'op-sim-2': 'simulated:///sim-east-1/sim-east-1a/sim-op-2',
  'op-sim-3': 'simulated:///sim-east-1/sim-east-1a/sim-op-3',
};

const suite = await e2eSuite();
const { cp, clients } = suite;
let clouds: CloudEmulators;
let replicaA: RunningServer;
let replicaB: RunningServer;
let frontProxy: { cert: string; key: string };

before(async () => {
  clouds = await suite.clouds({
    ec2: [
      { instanceId: INSTANCE, region: 'us-east-1' },
      { instanceId: HELD_INSTANCE, region: 'us-east-1' },
    ],
  });
  await suite.nodes(
    Object.entries(NODES).map(([name, providerID]) => ({ name, providerID, bootID: `boot-${name}` })),
  );
  const options = { env: clouds.serverEnv, args: [`--restart-timeout=${RESTART_TIMEOUT_S}s`] };
  replicaA = await suite.server(options);
  // A second replica on the same cluster, reached directly as kube-apiserver's front proxy would.
  replicaB = await suite.server({
    ...options,
    args: [...options.args, '--max-concurrent-restarts=1'],
    register: false,
  });
  frontProxy = {
    cert: await readFile(cp.pki.frontProxyClientCert, 'utf8'),
    key: await readFile(cp.pki.frontProxyClientKey, 'utf8'),
  };
});

/** A request to one replica, authenticated as kube-apiserver's front proxy forwarding a cluster admin. */
function toReplica(
  replica: RunningServer,
  method: string,
  name: string,
  path = restartPath(name),
): Promise<DirectResponse> {
  return direct(replica.url, replica.servingCa.certPem, {
    method,
    path,
    ...frontProxy,
    headers: { 'X-Remote-User': 'e2e-admin', 'X-Remote-Group': ['system:masters', 'system:authenticated'] },
  });
}

/** restart_operations_finished_total{result="Failed"} as one replica counts it. */
async function failedCount(replica: RunningServer): Promise<number> {
  const res = await direct(replica.url, replica.servingCa.certPem, {
    path: '/metrics',
    ...frontProxy,
    headers: { 'X-Remote-User': 'e2e-admin', 'X-Remote-Group': ['system:masters', 'system:authenticated'] },
  });
  assert.equal(res.status, 200, res.body);
  const samples = parseMetrics(res.body);
  const name = 'cloud_node_manager_restart_operations_finished_total';
  return sampleValue(samples, name, { result: 'Failed' }) ?? 0;
}

interface RestartStatus {
  operationID: string;
  phase: string;
  message: string;
}

async function latest(name: string): Promise<RestartStatus> {
  const res = await viaApiserver(cp, { path: restartPath(name) });
  assert.equal(res.status, 200, res.body);
  return (res.json() as { status: RestartStatus }).status;
}

const phaseIs = (name: string, phase: string) => async () =>
  (await latest(name)).phase === phase ? true : undefined;

test('a restart is followed to Succeeded by the node going NotReady and coming back with a new bootID', async () => {
  const res = await viaApiserver(cp, { method: 'POST', path: restartPath('op-sim-1') });
  assert.equal(res.status, 202, res.body);
  const { operationID } = (res.json() as { status: RestartStatus }).status;
  assert.equal((await latest('op-sim-1')).phase, 'RebootRequested');
  await updateNodeStatus(clients.core, 'op-sim-1', { ready: false });
  await waitFor('NotReady', phaseIs('op-sim-1', 'NotReady'));
  await bootAgain(clients.core, 'op-sim-1');
  await waitFor('Succeeded', phaseIs('op-sim-1', 'Succeeded'));
  const done = await latest('op-sim-1');
  assert.equal(done.operationID, operationID);
  assert.match(done.message, /Ready again with a new bootID/);
  // kubectl describe node shows every step as an Event.
  await waitFor('the events', async () => {
    const described = await kubectl(cp, ['describe', 'node', 'op-sim-1']);
    const reasons = ['RestartRequested', 'RestartRebootRequested', 'RestartNotReady', 'RestartSucceeded'];
    return reasons.every((r) => described.stdout.includes(r)) ? described.stdout : undefined;
  });
});

test('a node that never comes back fails at the restart timeout, and is free again', async () => {
  const res = await viaApiserver(cp, { method: 'POST', path: restartPath('op-sim-2') });
  assert.equal(res.status, 202, res.body);
  const started = Date.now();
  await waitFor('Failed', phaseIs('op-sim-2', 'Failed'), (RESTART_TIMEOUT_S + 10) * 1000);
  assert.ok(Date.now() - started >= (RESTART_TIMEOUT_S - 1) * 1000, 'not before the timeout');
  assert.match((await latest('op-sim-2')).message, /did not come back/);
  const again = await viaApiserver(cp, { method: 'POST', path: restartPath('op-sim-2') });
  assert.equal(again.status, 202, again.body);
  await bootAgain(clients.core, 'op-sim-2');
  await waitFor('Succeeded', phaseIs('op-sim-2', 'Succeeded'));
});

test('100 concurrent restarts of one node over two replicas reach the cloud exactly once', async () => {
  const before = clouds.ec2.callsTo('RebootInstances').length;
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) => toReplica(i % 2 ? replicaB : replicaA, 'POST', 'op-aws')),
  );
  const codes = answers.map((a) => a.status);
  assert.equal(codes.filter((c) => c === 202).length, 1, JSON.stringify(codes));
  assert.equal(codes.filter((c) => c === 409).length, 99, JSON.stringify(codes));
  assert.equal(clouds.ec2.callsTo('RebootInstances').length - before, 1);
  await bootAgain(clients.core, 'op-aws');
  await waitFor('Succeeded', phaseIs('op-aws', 'Succeeded'));
});

test('over the budget (max 1 at a time) a second node gets 429 with the cause, and nothing is rebooted', async () => {
  const previous = await latest('op-aws');
  const mark = async () =>
    (await clients.core.readNode({ name: 'op-aws' })).metadata?.annotations?.[RESTART_ANNOTATION];
  const [markBefore, failedA, failedB] = [
    await mark(),
    await failedCount(replicaA),
    await failedCount(replicaB),
  ];
  const first = await toReplica(replicaB, 'POST', 'op-sim-3');
  assert.equal(first.status, 202, first.body);
  const before = clouds.ec2.callsTo('RebootInstances').length;
  const second = await toReplica(replicaB, 'POST', 'op-aws');
  assert.equal(second.status, 429, second.body);
  const status = second.json() as {
    reason: string;
    message: string;
    details: { causes: { reason: string }[] };
  };
  assert.equal(status.reason, 'TooManyRequests');
  assert.match(status.message, /too many restarts in progress: at most 1 at once.*op-sim-3/);
  assert.equal(status.details.causes[0]!.reason, 'RestartBudget');
  assert.equal(clouds.ec2.callsTo('RebootInstances').length, before);
  // Back-pressure is no failure: the node's last restart stays as it was, and nothing counts as Failed.
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the watches of both replicas catch up
  assert.deepEqual(await latest('op-aws'), previous);
  assert.equal(await mark(), markBefore);
  assert.deepEqual([await failedCount(replicaA), await failedCount(replicaB)], [failedA, failedB]);
  await bootAgain(clients.core, 'op-sim-3');
  await waitFor('Succeeded', phaseIs('op-sim-3', 'Succeeded'));
  const third = await toReplica(replicaB, 'POST', 'op-aws');
  assert.equal(third.status, 202, third.body);
  await bootAgain(clients.core, 'op-aws');
  await waitFor('Succeeded', phaseIs('op-aws', 'Succeeded'));
});

test('a stop on one replica while a restart runs from the other is a 409 naming it; EC2 carries out no stop', async () => {
  const restart = await toReplica(replicaA, 'POST', 'op-aws-held');
  assert.equal(restart.status, 202, restart.body);
  const { operationID } = (restart.json() as { status: RestartStatus }).status;
  const stopPath = restartPath('op-aws-held').replace(/restart$/, 'stop');
  const stop = await toReplica(replicaB, 'POST', 'op-aws-held', stopPath);
  assert.equal(stop.status, 409, stop.body);
  const status = stop.json() as { reason: string; message: string };
  assert.equal(status.reason, 'Conflict');
  assert.match(status.message, new RegExp(`"op-aws-held": restart ${operationID} \\(RebootRequested`));
  assert.deepEqual(
    [
      clouds.ec2.executed('StopInstances', HELD_INSTANCE).length,
      clouds.ec2.executed('RebootInstances', HELD_INSTANCE).length,
    ],
    [0, 1],
  );
  await bootAgain(clients.core, 'op-aws-held');
  await waitFor('Succeeded', phaseIs('op-aws-held', 'Succeeded'));
});
