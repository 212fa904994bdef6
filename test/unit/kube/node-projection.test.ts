import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { projectNode } from '../../../src/kube/node-projection.js';
import { nodeView } from '../../../src/nodes/node-view.js';
import { encodeView } from '../../../src/nodes/encoded-node.js';
import { encodedNodeTable } from '../../../src/nodes/node-table.js';
import { POWER_ANNOTATION, powerState, readPowerMark } from '../../../src/nodes/power/power-annotation.js';
import { RESTART_ANNOTATION } from '../../../src/restarts/operations/restart-annotation.js';
import { nextTransition } from '../../../src/restarts/workflow/restart-progress.js';
import type { RestartOperation } from '../../../src/restarts/operations/restart-operation.js';
import { KUBELET_MAX_IMAGES, kubeletNode } from '../../support/nodes.js';

const GROUP = 'infraops.michael.io';

/** A kubelet's Node as kube-apiserver sends it: plain JSON, with our annotations and managedFields. */
function sentNode(index: number): V1Node {
  const node = kubeletNode({ name: `ip-node-${index}`, index });
  const mark = { action: 'Stop', mode: 'Hard', requestedBy: 'alice', time: '2026-01-01T00:00:00Z' };
  node.metadata!.annotations![POWER_ANNOTATION] = JSON.stringify(mark);
  node.metadata!.annotations![RESTART_ANNOTATION] = JSON.stringify({
    operationID: 'op-1',
    phase: 'Succeeded',
    time: '2026-01-01T00:05:00Z',
  });
  Object.assign(node.metadata!, {
    uid: 'f3b1c5a2-0000-4000-8000-000000000001',
    resourceVersion: '4242',
    creationTimestamp: '2025-12-01T10:00:00Z',
    managedFields: [
      { manager: 'kubelet', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': {} } },
    ],
  });
  return JSON.parse(JSON.stringify(node)) as V1Node;
}

test('a kubelet Node is realistic: 50 images of two names, ~20 labels, four conditions, ~15 KB', () => {
  const node = sentNode(7);
  assert.equal(node.status!.images!.length, KUBELET_MAX_IMAGES);
  assert.ok(
    node.status!.images!.every((i) => i.names!.length === 2 && /@sha256:[0-9a-f]{64}$/.test(i.names![0]!)),
  );
  assert.ok(Object.keys(node.metadata!.labels!).length >= 19);
  assert.equal(node.status!.conditions!.length, 4);
  const size = JSON.stringify(node).length;
  assert.ok(size > 12_000 && size < 20_000, `${size} bytes`);
  assert.deepEqual(
    kubeletNode({ name: 'a', index: 3 }).status!.images,
    kubeletNode({ name: 'a', index: 3 }).status!.images,
  );
  assert.notDeepEqual(kubeletNode({ name: 'a', index: 3 }).spec, kubeletNode({ name: 'a', index: 4 }).spec);
});

test('the projection keeps what is served and drops images, managedFields, capacity and other conditions', () => {
  const sent = sentNode(1);
  const kept = projectNode(sent);
  assert.equal(kept.status!.images, undefined);
  assert.equal(kept.status!.capacity, undefined);
  assert.equal(kept.status!.allocatable, undefined);
  assert.equal(kept.metadata!.managedFields, undefined);
  assert.deepEqual(Object.keys(kept.metadata!.annotations!).sort(), [POWER_ANNOTATION, RESTART_ANNOTATION]);
  assert.deepEqual(kept.status!.conditions, [
    { type: 'Ready', status: 'True', lastTransitionTime: sent.status!.conditions![3]!.lastTransitionTime },
  ]);
  assert.deepEqual(kept.status!.nodeInfo, { bootID: sent.status!.nodeInfo!.bootID });
  assert.deepEqual(kept.metadata!.labels, sent.metadata!.labels);
  assert.equal(kept.spec!.providerID, sent.spec!.providerID);
  assert.ok(
    JSON.stringify(kept).length * 8 < JSON.stringify(sent).length,
    'kept is not an eighth of the Node',
  );
  assert.ok(sent.status!.images, 'the Node given is left as it was');
});

test('views, Tables, the power state and restart progress read the projection as they read the whole Node', async () => {
  const sent = sentNode(2);
  const kept = projectNode(sent);
  const [full, projected] = [await nodeView(sent, GROUP), await nodeView(kept, GROUP)];
  assert.deepEqual(projected, full);
  assert.equal(projected.status.restart?.phase, 'Succeeded');
  assert.deepEqual(encodeView(projected).json, encodeView(full).json);
  for (const include of ['None', 'Metadata', 'Object'] as const) {
    const table = async (v: typeof full) =>
      (
        await encodedNodeTable([v], encodeView, { resourceVersion: '1' }, include, 'v1', 0).bytes()
      ).toString();
    assert.equal(await table(projected), await table(full));
  }
  assert.equal(powerState(kept, readPowerMark(kept)), powerState(sent, readPowerMark(sent)));
  assert.equal(powerState(kept, readPowerMark(kept)), undefined, 'Ready since after the stop');

  const op = {
    id: 'op-1',
    node: sent.metadata!.name!,
    phase: 'RebootRequested',
    previousBootID: 'an-older-boot',
    startedAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    deadline: '2999-01-01T00:00:00Z',
  } as RestartOperation;
  const now = Date.parse('2026-01-01T00:01:00Z');
  assert.deepEqual(nextTransition(op, kept, now), nextTransition(op, sent, now));
  assert.equal(nextTransition(op, kept, now)?.phase, 'Succeeded');
});

test('a Node without status, annotations or Ready projects to a view all the same', async () => {
  const bare: V1Node = { metadata: { name: 'bare' }, spec: {} };
  const kept = projectNode(bare);
  assert.deepEqual(await nodeView(kept, GROUP), await nodeView(bare, GROUP));
  assert.equal((await nodeView(kept, GROUP)).status.ready, 'Unknown');
});
