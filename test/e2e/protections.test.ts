// What stops a restart besides RBAC, against the real control plane: the per-pool budget (429 naming the pool),
// pods matching the blocking selector (409 until they are gone), and the node this server's only ready replica
// runs on (409 until another replica is ready elsewhere).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../control-plane/processes.js';
import { viaApiserver, type DirectResponse } from '../support/direct.js';
import { kubectl } from '../support/kube.js';
import { bootAgain } from '../support/nodes.js';
import { createNamespace, createRunningPod } from '../support/pods.js';
import { restartPath } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';

const NS = 'protections-e2e';
const SELF = 'kcnm-self';
const NODES: Record<string, Record<string, string>> = {
  'pp-a1': { pool: 'a' },
  'pp-a2': { pool: 'a' },
  'pp-b1': { pool: 'b' },
  'pb-1': {},
  'ps-self': {},
  'ps-other': {},
};
const REPLICA_LABELS = { 'app.kubernetes.io/name': 'k8s-cloud-node-manager' };

const suite = await e2eSuite();
const { cp, clients } = suite;

before(async () => {
  const clouds = await suite.clouds({});
  await suite.nodes(
    Object.entries(NODES).map(([name, labels]) => {
      const providerID = `simulated:///sim-east-1/sim-east-1a/sim-${name}`;
      return { name, providerID, labels, bootID: `boot-${name}` };
    }),
  );
  suite.defer(() => clients.core.deleteNamespace({ name: NS }).catch(() => undefined));
  await createNamespace(clients.core, NS);
  await createRunningPod(clients.core, NS, {
    name: SELF,
    node: 'ps-self',
    labels: { ...REPLICA_LABELS, 'pod-template-hash': 'aaa' },
  });
  await createRunningPod(clients.core, NS, {
    name: 'batch-job',
    node: 'pb-1',
    labels: { 'restart-blocker': 'true' },
  });
  await suite.server({
    env: { ...clouds.serverEnv, POD_NAME: SELF, POD_NAMESPACE: NS, NODE_NAME: 'ps-self' },
    args: [
      '--pool-label=pool',
      '--max-concurrent-restarts-per-pool=1',
      '--blocking-pod-selector=restart-blocker=true',
      '--restart-timeout=60s',
      // POD_NAMESPACE plays where our pod runs; the Leases stay where the shipped Role allows them.
      '--operations-namespace=k8s-cloud-node-manager',
    ],
  });
});

const restart = (name: string, query = '') =>
  viaApiserver(cp, { method: 'POST', path: restartPath(name, query) });

async function assertAccepted(res: Promise<DirectResponse>, code = 202): Promise<void> {
  const answer = await res;
  assert.equal(answer.status, code, answer.body);
}

function assertRefused(res: DirectResponse, code: number, message: RegExp): void {
  assert.equal(res.status, code, res.body);
  const status = res.json() as { kind: string; code: number; message: string };
  assert.equal(status.kind, 'Status');
  assert.match(status.message, message);
}

const succeeded = (name: string) => async () => {
  const res = await viaApiserver(cp, { path: restartPath(name) });
  return (res.json() as { status: { phase: string } }).status.phase === 'Succeeded' ? true : undefined;
};

test('per pool, one restart at a time: 429 names the pool, another pool is not held back', async () => {
  await assertAccepted(restart('pp-a1'), 202);
  const inPool =
    /too many restarts in progress in pool a \(label pool\): at most 1 at once \(--max-concurrent-restarts-per-pool\); restarting now: pp-a1/;
  assertRefused(await restart('pp-a2'), 429, inPool);
  assertRefused(await restart('pp-a2', '?dryRun=All'), 429, inPool);
  await assertAccepted(restart('pp-b1'), 202);
  await bootAgain(clients.core, 'pp-a1');
  await waitFor('pp-a1 back', succeeded('pp-a1'));
  await assertAccepted(restart('pp-a2'), 202);
});

test('a pod matching the blocking selector holds the node (409) until it is gone', async () => {
  assertRefused(
    await restart('pb-1'),
    409,
    /"pb-1": pods matching --blocking-pod-selector=restart-blocker=true run on it: protections-e2e\/batch-job$/,
  );
  // The refusal is a decision, told on the Node.
  await waitFor('the refusal as an Event', async () => {
    const described = await kubectl(cp, ['describe', 'node', 'pb-1']);
    return /RestartRefused.*refused \(409 Conflict\)/.test(described.stdout) ? true : undefined;
  });
  await clients.core.deleteNamespacedPod({ name: 'batch-job', namespace: NS, gracePeriodSeconds: 0 });
  await assertAccepted(restart('pb-1'), 202);
});

test('the node of the only ready replica is refused until another replica is ready on another node', async () => {
  assertRefused(
    await restart('ps-self'),
    409,
    /it runs this server \(pod protections-e2e\/kcnm-self\) and no other ready replica/,
  );
  // A replica of another ReplicaSet of the same Deployment (another pod-template-hash) counts.
  await createRunningPod(clients.core, NS, {
    name: 'kcnm-other',
    node: 'ps-other',
    labels: { ...REPLICA_LABELS, 'pod-template-hash': 'bbb' },
  });
  await assertAccepted(restart('ps-self', '?dryRun=All'), 200);
  await assertAccepted(restart('ps-self'), 202);
});
