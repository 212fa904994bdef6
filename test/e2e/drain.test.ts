// Drained restarts against the real control plane: the node is cordoned, its pods are evicted through the
// Eviction API (DaemonSet and mirror pods stay; a PodDisruptionBudget holds and the answer says so), the cloud
// reboots it once, and the cordon is lifted when it is back — only if this restart set it. The test plays the
// kubelet (Node status, pod termination) and the disruption controller (budget status).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../control-plane/processes.js';
import type { CloudEmulators } from '../support/clouds.js';
import { viaApiserver, type DirectResponse } from '../support/direct.js';
import { kubectl } from '../support/kube.js';
import { playKubelet, rebootedInstances, type KubeletPlayer } from '../support/kubelet.js';
import {
  createBudget,
  createNamespace,
  createRunningPod,
  playPodTermination,
  podNames,
} from '../support/pods.js';
import { GROUP, restartPath } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';

const NS = 'drain-e2e';
const I = { ok: 'i-0d0000000000000a1', blocked: 'i-0d0000000000000a2', proceed: 'i-0d0000000000000a3' };
const NODES: Record<string, string> = {
  'dr-ok': `aws:///us-east-1a/${I.ok}`,
  'dr-blocked': `aws:///us-east-1a/${I.blocked}`,
  'dr-proceed': `aws:///us-east-1a/${I.proceed}`,
};

const suite = await e2eSuite();
const { cp, clients } = suite;
let clouds: CloudEmulators;
let kubelet: KubeletPlayer;

before(async () => {
  clouds = await suite.clouds({
    ec2: Object.values(I).map((instanceId) => ({
      instanceId,
      region: 'us-east-1',
      availabilityZone: 'us-east-1a',
    })),
  });
  await suite.nodes(
    Object.entries(NODES).map(([name, providerID]) => ({
      name,
      providerID,
      unschedulable: name === 'dr-proceed',
    })),
  );
  suite.defer(() => clients.core.deleteNamespace({ name: NS }).catch(() => undefined));
  await createNamespace(clients.core, NS);
  const pod = (name: string, node: string, extra: object = {}) =>
    createRunningPod(clients.core, NS, { name, node, ...extra });
  await pod('web-1', 'dr-ok', { owner: { kind: 'ReplicaSet', name: 'web' } });
  await pod('web-2', 'dr-ok', { owner: { kind: 'ReplicaSet', name: 'web' } });
  await pod('agent', 'dr-ok', { owner: { kind: 'DaemonSet', name: 'agent' } });
  await pod('static', 'dr-ok', { annotations: { 'kubernetes.io/config.mirror': 'static-hash' } });
  await pod('db-1', 'dr-blocked', { labels: { app: 'db' } });
  await pod('db-2', 'dr-blocked', { labels: { app: 'db' } });
  await pod('cache-1', 'dr-proceed', { labels: { app: 'cache' } });
  await createBudget(clients.policy, NS, {
    name: 'db',
    minAvailable: 2,
    selector: { app: 'db' },
    healthy: 2,
  });
  await createBudget(clients.policy, NS, {
    name: 'cache',
    minAvailable: 1,
    selector: { app: 'cache' },
    healthy: 1,
  });
  kubelet = playKubelet(clients.core, {
    nodesByInstance: new Map(Object.entries(NODES).map(([node, id]) => [id.split('/').pop()!, node])),
    sources: [clouds.ec2],
    downMs: 1000,
  });
  suite.defer(() => kubelet.stop());
  const terminator = playPodTermination(clients.core, NS);
  suite.defer(() => terminator.stop());
  await suite.server({ env: clouds.serverEnv, args: ['--restart-timeout=30s'] });
});

function restart(name: string, body: object, query = ''): Promise<DirectResponse> {
  return viaApiserver(cp, {
    method: 'POST',
    path: restartPath(name, query),
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  });
}

interface RestartStatus {
  phase: string;
  message: string;
  cordoned?: boolean;
  checks?: { name: string; detail: string }[];
}

const statusOf = (res: DirectResponse) => (res.json() as { status: RestartStatus }).status;

async function latest(name: string): Promise<RestartStatus> {
  const res = await viaApiserver(cp, { path: restartPath(name) });
  assert.equal(res.status, 200, res.body);
  return statusOf(res);
}

const finished = (name: string) => async () => {
  const status = await latest(name);
  return status.phase === 'Succeeded' || status.phase === 'Failed' ? status : undefined;
};

const reboots = (instance: string) =>
  clouds.ec2.calls.flatMap(rebootedInstances).filter((id) => id === instance);

const nodeOf = (name: string) => clients.core.readNode({ name });

test('a drained restart cordons, evicts all but DaemonSet and mirror pods, reboots once, and uncordons', async () => {
  const res = await restart('dr-ok', { drain: { timeoutSeconds: 30 }, reason: 'kernel update' });
  assert.equal(res.status, 202, res.body);
  const answer = statusOf(res);
  assert.ok(['Cordoned', 'Draining', 'RebootRequested'].includes(answer.phase), answer.phase);
  assert.equal(answer.cordoned, true);
  const cordoned = await nodeOf('dr-ok');
  assert.equal(cordoned.spec?.unschedulable, true);

  const done = await waitFor('the drained restart to finish', finished('dr-ok'));
  assert.equal(done.phase, 'Succeeded', done.message);
  assert.match(done.message, /Ready again with a new bootID.*uncordoned/);
  assert.deepEqual(await podNames(clients.core, NS, 'dr-ok'), ['agent', 'static']);
  assert.equal(reboots(I.ok).length, 1);
  assert.deepEqual(
    kubelet.reboots.map((r) => r.node),
    ['dr-ok'],
  );
  // Our nodes resource shows the latest restart, from the annotation on the Node.
  const view = await waitFor('the restart on our nodes resource', async () => {
    const res = await viaApiserver(cp, { path: `/apis/${GROUP}/v1/nodes/dr-ok` });
    const status = (res.json() as { status: { restart?: { phase: string } } }).status;
    return status.restart?.phase === 'Succeeded' ? status.restart : undefined;
  });
  assert.equal(view.phase, 'Succeeded');
  const after = await nodeOf('dr-ok');
  assert.ok(!after.spec?.unschedulable, 'uncordoned');
  assert.equal(after.metadata?.annotations?.['infraops.michael.io/cordoned-by'], undefined);

  const reasons = ['Cordoned', 'Draining', 'RebootRequested', 'Ready', 'Uncordoned', 'Succeeded'].map(
    (p) => `Restart${p}`,
  );
  await waitFor('every phase as an Event on the node', async () => {
    const described = await kubectl(cp, ['describe', 'node', 'dr-ok']);
    return reasons.every((r) => described.stdout.includes(r)) ? true : undefined;
  });
});

test('a dry run of a drain asks the Eviction API, and reports what a PodDisruptionBudget would refuse', async () => {
  const res = await restart('dr-blocked', { drain: {} }, '?dryRun=All');
  assert.equal(res.status, 200, res.body);
  const drain = statusOf(res).checks?.find((c) => c.name === 'Drain');
  assert.match(
    drain?.detail ?? '',
    /would evict 2 pods left .*refused: .*disruption budget db needs 2 healthy pods/,
  );
  assert.ok(!(await nodeOf('dr-blocked')).spec?.unschedulable, 'a dry run cordons nothing');
  assert.deepEqual(await podNames(clients.core, NS, 'dr-blocked'), ['db-1', 'db-2']);
});

test('a PodDisruptionBudget blocks the drain: the answer says so, it fails at its timeout, nothing reboots', async () => {
  const res = await restart('dr-blocked', { drain: { timeoutSeconds: 3 } });
  assert.equal(res.status, 202, res.body);
  const answer = statusOf(res);
  assert.equal(answer.phase, 'Draining');
  assert.match(
    answer.message,
    /eviction of drain-e2e\/db-\d refused: Cannot evict pod as it would violate the pod's disruption budget: The disruption budget db needs 2 healthy pods and has 2 currently/,
  );
  assert.equal((await nodeOf('dr-blocked')).spec?.unschedulable, true);

  const done = await waitFor('the blocked drain to fail', finished('dr-blocked'));
  assert.equal(done.phase, 'Failed');
  assert.match(
    done.message,
    /did not finish within 3s: .*disruption budget db.*nothing was restarted \(onTimeout: Fail\); node dr-blocked uncordoned/,
  );
  assert.equal(reboots(I.blocked).length, 0);
  assert.ok(!(await nodeOf('dr-blocked')).spec?.unschedulable, 'the cordon it set is lifted');
  assert.deepEqual(await podNames(clients.core, NS, 'dr-blocked'), ['db-1', 'db-2']);
});

test('DELETE of a restart held by its drain cancels it: its cordon lifted, nothing rebooted', async () => {
  const res = await restart('dr-blocked', { drain: { timeoutSeconds: 60 } });
  assert.equal(res.status, 202, res.body);
  assert.equal(statusOf(res).phase, 'Draining');
  assert.equal((await nodeOf('dr-blocked')).spec?.unschedulable, true);

  const cancel = await viaApiserver(cp, { method: 'DELETE', path: restartPath('dr-blocked') });
  assert.equal(cancel.status, 200, cancel.body);
  const cancelled = statusOf(cancel);
  assert.equal(cancelled.phase, 'Cancelled');
  assert.match(
    cancelled.message,
    /^cancelled by kubernetes-admin before its reboot; node dr-blocked uncordoned$/,
  );
  assert.equal((await latest('dr-blocked')).phase, 'Cancelled');
  assert.ok(!(await nodeOf('dr-blocked')).spec?.unschedulable, 'the cordon it set is lifted');
  assert.equal(reboots(I.blocked).length, 0);
  const again = await viaApiserver(cp, { method: 'DELETE', path: restartPath('dr-blocked') });
  assert.equal(again.status, 404, again.body);
});

test('onTimeout Proceed reboots despite the budget, and a cordon someone else set stays', async () => {
  const res = await restart('dr-proceed', { drain: { timeoutSeconds: 2, onTimeout: 'Proceed' } });
  assert.equal(res.status, 202, res.body);
  assert.equal(statusOf(res).cordoned, false);
  const done = await waitFor('the restart to finish', finished('dr-proceed'));
  assert.equal(done.phase, 'Succeeded', done.message);
  assert.equal(reboots(I.proceed).length, 1);
  assert.equal((await nodeOf('dr-proceed')).spec?.unschedulable, true);
  assert.deepEqual(await podNames(clients.core, NS, 'dr-proceed'), ['cache-1']);
});
