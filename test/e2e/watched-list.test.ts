// The cache behind every read (src/kube/watched-list.ts), against a real kube-apiserver: the list and the
// watch after it hand over the same plain JSON, without managedFields, and a selector narrows both.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { createNode, deleteNodes } from '../support/nodes.js';
import { e2eSuite } from '../support/suite.js';
import { waitFor } from '../control-plane/processes.js';
import { loadKubeConfig } from '../../src/kube/kube-config.js';
import { WatchedList } from '../../src/kube/watched-list.js';

const suite = await e2eSuite();
const { cp, clients } = suite;
const LISTED = 'watched-list-listed';
const WATCHED = 'watched-list-watched';
const OTHER = 'watched-list-other';
const labels = { 'watched-list-test': 'yes' };

before(async () => {
  suite.defer(() => deleteNodes(clients.core, [WATCHED]));
  await suite.nodes([{ name: LISTED, labels }, { name: OTHER }]);
});

test('listed and watched Nodes are plain JSON without managedFields; the selector applies to both', async () => {
  const raw = await clients.core.readNode({ name: LISTED });
  assert.ok(raw.metadata?.managedFields?.length, 'kube-apiserver keeps managedFields on the Node');

  const nodes = new WatchedList<V1Node>('nodes', loadKubeConfig(cp.kubeconfig), '/api/v1/nodes', {
    labelSelector: 'watched-list-test=yes',
  });
  const changed: string[] = [];
  nodes.start((node) => changed.push(node.metadata!.name!));
  try {
    await waitFor('the list', async () => nodes.synced || undefined, 10_000, 20);
    await createNode(clients.core, { name: WATCHED, labels });
    await waitFor('the watch event', async () => nodes.get(WATCHED), 10_000, 20);

    for (const name of [LISTED, WATCHED]) {
      const node = nodes.get(name)!;
      assert.equal(node.metadata?.managedFields, undefined, `${name} has managedFields`);
      assert.equal(typeof node.metadata?.creationTimestamp, 'string', `${name} is not plain JSON`);
      assert.equal(node.spec !== undefined && node.status?.nodeInfo?.kubeletVersion, 'v1.36.3');
    }
    assert.equal(nodes.get(OTHER), undefined);
    assert.deepEqual(
      nodes
        .list()
        .map((n) => n.metadata!.name)
        .sort(),
      [LISTED, WATCHED],
    );
    assert.deepEqual(changed, [LISTED, WATCHED]);
    assert.match(nodes.resourceVersion(), /^\d+$/);
  } finally {
    await nodes.stop();
  }
});
