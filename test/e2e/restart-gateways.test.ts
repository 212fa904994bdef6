// The in-memory cluster the restart workflow's unit tests run on (test/support/in-memory) against the real one: the
// same calls through the real gateways (src/restarts/cluster) to kube-apiserver and through the in-memory ones must
// succeed and fail alike — the conflicts, AlreadyExists, NotFound, a merge patch's nulls, a PodDisruptionBudget's
// 429 — so what the unit tests prove of the workflow holds on a cluster.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException, CoordinationV1Api, type V1Lease } from '@kubernetes/client-node';
import type { ServerOptions } from '../../src/config/server-options.js';
import { ApiLeases, type Leases } from '../../src/restarts/cluster/leases.js';
import { ApiNodeGateway, type NodeGateway } from '../../src/restarts/cluster/node-gateway.js';
import { ApiPodGateway, type PodGateway } from '../../src/restarts/cluster/pod-gateway.js';
import { waitFor } from '../control-plane/processes.js';
import { Revisions } from '../support/in-memory/api-errors.js';
import { InMemoryLeases } from '../support/in-memory/in-memory-leases.js';
import { InMemoryNodes } from '../support/in-memory/in-memory-nodes.js';
import { InMemoryPods } from '../support/in-memory/in-memory-pods.js';
import { createBudget, createNamespace, createRunningPod } from '../support/pods.js';
import { e2eSuite } from '../support/suite.js';

const NAMESPACE = 'restart-gateways';
const NODE = 'gateways-n1';

const suite = await e2eSuite();
const { clients } = suite;

interface Cluster {
  leases: Leases;
  nodes: NodeGateway;
  pods: PodGateway;
}

let real: Cluster;
let memory: Cluster;

before(async () => {
  suite.defer(() => clients.core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined));
  await createNamespace(clients.core, NAMESPACE);
  await suite.nodes([{ name: NODE }]);
  for (const [name, app] of [
    ['web-0', 'web'],
    ['db-0', 'db'],
  ] as const) {
    await createRunningPod(clients.core, NAMESPACE, { name, node: NODE, labels: { app } });
  }
  await createBudget(clients.policy, NAMESPACE, {
    name: 'db',
    minAvailable: 1,
    selector: { app: 'db' },
    healthy: 1,
  });
  const options = { operationsNamespace: NAMESPACE } as ServerOptions;
  real = {
    leases: new ApiLeases(clients.kc, clients.kc.makeApiClient(CoordinationV1Api), options),
    nodes: new ApiNodeGateway(clients.core),
    pods: new ApiPodGateway(clients.core),
  };
  const revisions = new Revisions();
  const nodes = new InMemoryNodes(revisions);
  nodes.add({ name: NODE });
  const pods = new InMemoryPods();
  pods.add({ namespace: NAMESPACE, name: 'web-0', node: NODE, labels: { app: 'web' } });
  pods.add({ namespace: NAMESPACE, name: 'db-0', node: NODE, labels: { app: 'db' } });
  pods.hold(`${NAMESPACE}/db-0`, 'db');
  memory = { leases: new InMemoryLeases(NAMESPACE, revisions), nodes, pods };
});

/** How a call ended: its value as `ok`, or the API's error as code, reason and message (and causes). */
async function outcome<T>(call: () => Promise<T>): Promise<{ ok: T } | { code: number; status: unknown }> {
  try {
    return { ok: await call() };
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    const body = (typeof err.body === 'string' ? JSON.parse(err.body) : err.body) as Record<string, unknown>;
    const details = body['details'] as { causes?: unknown } | undefined;
    return {
      code: err.code,
      status: { reason: body['reason'], message: body['message'], causes: details?.causes },
    };
  }
}

/** A Lease call's outcome by its holder, or the API's error. */
async function holder(call: () => Promise<V1Lease | undefined>) {
  const result = await outcome(call);
  return 'ok' in result ? result.ok?.spec?.holderIdentity : result;
}

/** A delete's outcome: done, or the API's code and reason. */
async function deleted(call: () => Promise<void>) {
  const result = await outcome(call);
  return 'ok' in result ? 'deleted' : [result.code, (result.status as { reason: string }).reason];
}

const lease = (name: string, holder: string, resourceVersion?: string): V1Lease => ({
  metadata: { name, labels: { 'gateways-test': 'yes' }, ...(resourceVersion ? { resourceVersion } : {}) },
  spec: { holderIdentity: holder },
});

/** Runs the same script on both clusters and requires the same outcomes. */
async function same(script: (cluster: Cluster) => Promise<unknown[]>): Promise<unknown[]> {
  const [ofReal, ofMemory] = [await script(real), await script(memory)];
  assert.deepEqual(ofMemory, ofReal);
  return ofReal;
}

test('Leases: AlreadyExists, Conflict on a stale resourceVersion, create on update, and the watch sees every write', async () => {
  const results = await same(async ({ leases }) => {
    const created = await leases.create(lease('gw-a', 'one'));
    const stale = created.metadata!.resourceVersion!;
    const replaced = await leases.replace(lease('gw-a', 'two', stale));
    const watched = leases.watch('gateway test leases', 'gateways-test=yes');
    watched.start(() => undefined);
    await waitFor('the lease watch to sync', async () => (watched.synced ? true : undefined));
    await waitFor('the watch to see the replace', async () =>
      watched.get('gw-a')?.spec?.holderIdentity === 'two' ? true : undefined,
    );
    const results = [
      await holder(() => leases.create(lease('gw-a', 'three'))),
      await holder(() => leases.replace(lease('gw-a', 'three', stale))),
      // A replace with a resourceVersion updates that Lease only: one that is not there is 404, not created…
      await holder(() => leases.replace(lease('gw-missing', 'x', stale))),
      await holder(() => leases.read('gw-missing')),
      // …and an unconditional one creates it, as Leases allow create on update.
      await holder(() => leases.replace(lease('gw-missing', 'x'))),
      await holder(() => leases.read('gw-never')),
      (await leases.read('gw-a'))?.spec?.holderIdentity,
      replaced.metadata!.resourceVersion !== stale,
      watched
        .list()
        .map((l) => l.metadata!.name)
        .sort(),
      // A delete holds to its resourceVersion precondition, as the operations' withdrawal relies on.
      await deleted(() => leases.delete('gw-missing', stale)),
      await deleted(async () =>
        leases.delete('gw-missing', (await leases.read('gw-missing'))!.metadata!.resourceVersion!),
      ),
      await deleted(() => leases.delete('gw-never', stale)),
      await holder(() => leases.read('gw-missing')),
      // A Lease deleted after it was read is not resurrected by a replace of what was read.
      await (async () => {
        const read = await leases.create(lease('gw-gone', 'g'));
        await leases.delete('gw-gone', read.metadata!.resourceVersion!);
        return holder(() => leases.replace({ ...read, spec: { holderIdentity: 'back' } }));
      })(),
      await holder(() => leases.read('gw-gone')),
    ];
    await watched.stop();
    return results;
  });
  assert.equal((results[0] as { code: number }).code, 409);
  assert.equal((results[1] as { code: number }).code, 409);
  assert.equal((results[2] as { code: number }).code, 404);
  assert.deepEqual(results.slice(3, 5), [undefined, 'x']);
  assert.deepEqual(results.slice(9, 13), [[409, 'Conflict'], 'deleted', [404, 'NotFound'], undefined]);
  assert.equal((results[13] as { code: number }).code, 404);
  assert.equal(results[14], undefined);
});

test('Nodes: a merge patch with a stale resourceVersion is 409; nulls delete; a missing Node is 404', async () => {
  const results = await same(async ({ nodes }) => {
    const before = (await nodes.read(NODE))!;
    const stale = before.metadata!.resourceVersion!;
    const cordoned = await nodes.mergePatch(NODE, {
      metadata: { resourceVersion: stale, annotations: { 'gateways/cordoned-by': 'op-1' } },
      spec: { unschedulable: true },
    });
    const results = [
      [cordoned.spec?.unschedulable, cordoned.metadata?.annotations?.['gateways/cordoned-by']],
      await outcome(() =>
        nodes.mergePatch(NODE, { metadata: { resourceVersion: stale }, spec: { unschedulable: null } }),
      ),
    ];
    await nodes.annotate(NODE, { 'gateways/mark': 'x' });
    const lifted = await nodes.mergePatch(NODE, {
      metadata: { annotations: { 'gateways/cordoned-by': null } },
      spec: { unschedulable: null },
    });
    return [
      ...results,
      [
        lifted.spec?.unschedulable,
        lifted.metadata?.annotations?.['gateways/cordoned-by'],
        lifted.metadata?.annotations?.['gateways/mark'],
      ],
      await outcome(() => nodes.read('gateways-missing')),
      await outcome(() => nodes.annotate('gateways-missing', { a: 'b' })).then((o) =>
        'code' in o ? o.code : o,
      ),
    ];
  });
  assert.equal((results[1] as { code: number }).code, 409);
});

test('Pods: lists by node, label and name; the Eviction API refuses past a budget (429), dry runs, 404 when gone', async () => {
  const results = await same(async ({ pods }) => {
    const names = (list: { metadata?: { name?: string } }[]) => list.map((p) => p.metadata!.name).sort();
    return [
      names(await pods.list({ node: NODE })),
      names(await pods.list({ namespace: NAMESPACE, labelSelector: 'app=db' })),
      names(await pods.list({ namespace: NAMESPACE, name: 'web-0' })),
      await outcome(() => pods.evict({ namespace: NAMESPACE, name: 'db-0' }, {})),
      await outcome(() => pods.evict({ namespace: NAMESPACE, name: 'web-0' }, { dryRun: true })),
      names(await pods.list({ namespace: NAMESPACE, name: 'web-0' })),
      await outcome(() => pods.evict({ namespace: NAMESPACE, name: 'gone-0' }, {})).then((o) =>
        'code' in o ? o.code : o,
      ),
    ];
  });
  assert.equal((results[3] as { code: number }).code, 429);
});
