// The Node cache against a real kube-apiserver, with Nodes shaped as a kubelet on EKS writes them (~15 KB, 50
// images, managedFields): streamed with sendInitialEvents, or listed in pages (seen in kube-apiserver's audit
// log), kept as their projection, and served through the aggregator as before, including after the kubelet's
// status updates.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../control-plane/processes.js';
import { AuditLog, type AuditEvent } from '../support/audit.js';
import { kubectl } from '../support/kube.js';
import {
  createKubeletNode,
  deleteNodes,
  heartbeat,
  kubeletNode,
  updateNodeStatus,
} from '../support/nodes.js';
import { GROUP, NAMESPACE, SERVICE } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import type { V1Node } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../src/kube/kube-config.js';
import { projectNode } from '../../src/kube/node-projection.js';
import { decodeNode } from '../../src/kube/node-protobuf.js';
import { watchListProtobuf } from '../../src/kube/protobuf-watch-list.js';
import { watchList } from '../../src/kube/watch-list.js';
import { WatchedList } from '../../src/kube/watched-list.js';

const NODES = Array.from({ length: 5 }, (_, i) => `node-cache-${i}`);
/** Nodes no kubelet would write: nothing but a name, and odd values (UTF-8, a condition without times). */
const ODD_NODES: V1Node[] = [
  { metadata: { name: 'node-cache-bare' } },
  {
    metadata: {
      name: 'node-cache-odd',
      labels: { 'kubernetes.io/hostname': 'same-as-an-address', empty: '' },
      annotations: { 'infraops.michael.io/power-action': 'stop ✓ é', 'other.io/x': 'y' },
    },
    spec: { providerID: 'tencentcloud:///ap-guangzhou-3/ins-1' },
    status: {
      conditions: [{ type: 'Ready', status: 'Unknown' }],
      addresses: [
        { type: 'Hostname', address: 'same-as-an-address' },
        { type: 'InternalDNS', address: 'same-as-an-address' },
      ],
    },
  },
];
const PAGE = 2;
const OUR_USER = `system:serviceaccount:${NAMESPACE}:${SERVICE}`;

const suite = await e2eSuite();
const { cp, clients } = suite;
let audit: AuditLog;

before(async () => {
  suite.defer(() => deleteNodes(clients.core, [...NODES, ...ODD_NODES.map((n) => n.metadata!.name!)]));
  await Promise.all([
    ...NODES.map((name, index) => createKubeletNode(clients.core, { name, index: 9000 + index })),
    ...ODD_NODES.map((body) => clients.core.createNode({ body })),
  ]);
  audit = await AuditLog.mark(cp.auditLog);
  await suite.server();
});

async function getOurs(path: string): Promise<Record<string, unknown>> {
  const res = await kubectl(cp, ['get', '--raw', `/apis/${GROUP}/v1/${path}`]);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout) as Record<string, unknown>;
}

const query = (uri: string) => new URL(uri, 'https://x').searchParams;

test('our server streams the initial Nodes (sendInitialEvents) and lists none', async () => {
  const oursNow = async () =>
    (await audit.events()).filter((e) => e.objectRef?.resource === 'nodes' && e.user.username === OUR_USER);
  const isStream = (e: AuditEvent) =>
    e.verb === 'watch' && query(e.requestURI).get('sendInitialEvents') === 'true';
  // The streamed watch is audited once it is closed, just after the cache synced.
  await waitFor('the streamed watch', async () => (await oursNow()).some(isStream) || undefined, 5000);
  const ours = await oursNow();
  assert.equal(ours.filter(isStream).length, 1, ours.map((e) => `${e.verb} ${e.requestURI}`).join('\n'));
  assert.deepEqual(
    ours.filter((e) => e.verb === 'list').map((e) => e.requestURI),
    [],
  );
});

test('the initial state streamed as protobuf projects to what the JSON one does, Node for Node', async () => {
  const kc = loadKubeConfig(cp.kubeconfig);
  const ours = [...NODES, ...ODD_NODES.map((n) => n.metadata!.name!)];
  const projected = (list: { items: V1Node[] } | undefined) =>
    ours.map((name) => JSON.stringify(list?.items.find((n) => n.metadata?.name === name)));
  const protobuf = await watchListProtobuf<V1Node>(kc, '/api/v1/nodes', {
    decode: decodeNode,
    transform: projectNode,
  });
  assert.ok(protobuf, 'kube-apiserver streams Nodes as protobuf');
  const json = await watchList<V1Node>(kc, '/api/v1/nodes', { transform: projectNode });
  assert.ok(json);
  assert.equal(protobuf.items.length, json.items.length);
  // Compared as text: the same fields, values and key order (a view's JSON is written in that order).
  assert.deepEqual(projected(protobuf), projected(json));
  const odd = protobuf.items.find((n) => n.metadata?.name === 'node-cache-odd')!;
  assert.equal(odd.metadata?.annotations?.['infraops.michael.io/power-action'], 'stop ✓ é');
  assert.equal(odd.status?.conditions?.[0]?.lastTransitionTime, null);
  const kubelet = protobuf.items.find((n) => n.metadata?.name === NODES[0])!;
  assert.equal(
    kubelet.status?.nodeInfo?.bootID,
    kubeletNode({ name: NODES[0]!, index: 9000 }).status!.nodeInfo!.bootID,
  );
});

test('where it lists, the Node cache lists in pages, each after the first with its continue token', async () => {
  const mark = await AuditLog.mark(cp.auditLog);
  const nodes = new WatchedList<V1Node>('nodes', loadKubeConfig(cp.kubeconfig), '/api/v1/nodes', {
    pageSize: PAGE,
    transform: projectNode,
  });
  nodes.start();
  try {
    await waitFor('the list', async () => nodes.synced || undefined, 10_000, 20);
    const all = nodes.list().length;
    assert.ok(all >= NODES.length);
    assert.equal(nodes.get(NODES[0]!)?.status?.images, undefined, 'kept as its projection');
    const pageRequests = async () =>
      (await mark.events())
        .filter((e) => e.verb === 'list' && e.objectRef?.resource === 'nodes')
        .map((e) => query(e.requestURI))
        .filter((q) => q.get('limit') === String(PAGE));
    // Audit events are written just after their response.
    const expected = Math.ceil(all / PAGE);
    await waitFor(
      'the audit events',
      async () => (await pageRequests()).length >= expected || undefined,
      5000,
    );
    const pages = await pageRequests();
    assert.equal(pages.length, expected);
    for (const [i, q] of pages.entries())
      assert.equal(q.has('continue'), i > 0, `request ${i}: ${q.toString()}`);
  } finally {
    await nodes.stop();
  }
});

test('a kubelet-shaped Node is served with every field its view shows', async () => {
  const name = NODES[1]!;
  const sent = kubeletNode({ name, index: 9001 });
  const stored = await clients.core.readNode({ name });
  assert.ok(JSON.stringify(stored).length > 12_000, 'the Node is kubelet-sized');
  const view = (await getOurs(`nodes/${name}`)) as {
    metadata: { name: string; uid: string; resourceVersion: string; labels: Record<string, string> };
    spec: { providerID: string };
    status: Record<string, unknown>;
  };
  assert.equal(view.metadata.uid, stored.metadata!.uid);
  assert.equal(view.metadata.resourceVersion, stored.metadata!.resourceVersion);
  assert.deepEqual(view.metadata.labels, sent.metadata!.labels);
  assert.equal(view.spec.providerID, sent.spec!.providerID);
  const [, zone, instance] = /^aws:\/\/\/([^/]+)\/(.+)$/.exec(sent.spec!.providerID!)!;
  assert.deepEqual(
    [
      view.status.cloud,
      view.status.region,
      view.status.zone,
      view.status.instanceID,
      view.status.restartable,
    ],
    ['aws', 'us-east-1', zone, instance, true],
  );
  assert.equal(view.status.ready, 'True');
  assert.equal(view.status.bootID, sent.status!.nodeInfo!.bootID);
  assert.deepEqual(view.status.addresses, sent.status!.addresses);
  assert.equal(JSON.stringify(view).includes('sha256'), false, 'no image reaches the view');

  const table = await kubectl(cp, ['get', `nodes.${GROUP}`, name, '--no-headers']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, new RegExp(`^${name}\\s+aws\\s+us-east-1\\s+${instance}\\s+True\\s`));
});

test("the kubelet's status updates reach the projection through the watch", async () => {
  const name = NODES[2]!;
  const beat = await heartbeat(clients.core, name);
  const resourceVersion = async () =>
    ((await getOurs(`nodes/${name}`)) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  await waitFor(
    'the heartbeat',
    async () => ((await resourceVersion()) === beat.metadata!.resourceVersion ? true : undefined),
    10_000,
    100,
  );
  await updateNodeStatus(clients.core, name, { ready: false, bootID: 'a-new-boot' });
  const view = await waitFor(
    'NotReady',
    async () => {
      const v = (await getOurs(`nodes/${name}`)) as { status: { ready: string; bootID: string } };
      return v.status.ready === 'False' ? v : undefined;
    },
    10_000,
    100,
  );
  assert.equal(view.status.bootID, 'a-new-boot');
});
