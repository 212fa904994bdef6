import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { nodeView } from '../../../src/nodes/node-view.js';
import { encodeView, encodedNode, encodedNodes } from '../../../src/nodes/encoded-node.js';
import { NodesService } from '../../../src/nodes/nodes.service.js';
import type { ServerOptions } from '../../../src/config/server-options.js';
import { POWER_ANNOTATION } from '../../../src/nodes/power/power-annotation.js';

const GROUP = 'infraops.michael.io';

function node(providerID: string | undefined, opts: { mark?: object; readySince?: string } = {}): V1Node {
  const annotations = opts.mark && { [POWER_ANNOTATION]: JSON.stringify(opts.mark) };
  return {
    metadata: { name: 'n1', ...(annotations && { annotations }) },
    spec: { providerID },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastTransitionTime: new Date(opts.readySince ?? '2026-01-01T00:00:00Z'),
        } as never,
      ],
    },
  };
}

test('the cloud identity, or why a providerID cannot be used', async () => {
  const aws = await nodeView(node('aws:///us-east-1a/i-0123456789abcdef0'), GROUP);
  assert.deepEqual(
    [aws.status.cloud, aws.status.region, aws.status.zone, aws.status.instanceID, aws.status.restartable],
    ['aws', 'us-east-1', 'us-east-1a', 'i-0123456789abcdef0', true],
  );
  const none = await nodeView(node(undefined), GROUP);
  assert.deepEqual([none.status.cloud, none.status.restartable], [undefined, false]);
  assert.ok(none.status.message);
  const fargate = await nodeView(node('aws:///us-east-1a/fargate-ip-10-0-0-1.ec2.internal'), GROUP);
  assert.deepEqual([fargate.status.cloud, fargate.status.restartable], ['aws-fargate', false]);
  assert.match(fargate.status.message ?? '', /Fargate/);
});

test('a stop recorded on the Node shows as Stopped until the Node is Ready again after it', async () => {
  const mark = {
    action: 'Stop',
    mode: 'Hard',
    requestID: 'r-1',
    requestedBy: 'alice',
    time: '2026-02-01T00:00:00Z',
  };
  const providerID = 'simulated:///sim-east-1/sim-east-1a/sim-node-1';
  const stopped = await nodeView(node(providerID, { mark }), GROUP);
  assert.equal(stopped.status.powerState, 'Stopped');
  assert.deepEqual(stopped.status.lastPowerAction, mark);
  const readyAgain = await nodeView(node(providerID, { mark, readySince: '2026-02-01T00:05:00Z' }), GROUP);
  assert.equal(readyAgain.status.powerState, undefined);
  const started = await nodeView(node(providerID, { mark: { ...mark, action: 'Start' } }), GROUP);
  assert.equal(started.status.powerState, undefined);
  assert.equal(started.status.lastPowerAction?.action, 'Start');
  const garbage = await nodeView(node(providerID, { mark: { action: 'Explode' } }), GROUP);
  assert.deepEqual([garbage.status.powerState, garbage.status.lastPowerAction], [undefined, undefined]);
});

test('a NodeList is the kept bytes of its views, byte for byte what JSON.stringify writes', async () => {
  const nodes = [
    node('aws:///us-east-1a/i-0123456789abcdef0'),
    node(undefined),
    node('aws:///x/fargate-ip-1'),
  ];
  const cache = { list: () => nodes, resourceVersion: () => '7', get: () => undefined };
  const service = new NodesService(cache as never, { apiGroup: GROUP } as ServerOptions);
  for (const limit of [undefined, '2']) {
    const page = await service.list({ limit });
    const list = service.listObject(page);
    const expected = JSON.stringify({
      kind: 'NodeList',
      apiVersion: `${GROUP}/v1`,
      metadata: page.metadata,
      items: page.items.map((n) => n.view()),
    });
    assert.equal(Buffer.concat(list.chunks).toString(), expected);
    assert.equal(JSON.stringify(list), expected);
  }
  const view = await nodeView(nodes[0]!, GROUP);
  assert.equal(
    await encodedNode(nodes[0]!, GROUP),
    await encodedNode(nodes[0]!, GROUP),
    'encoded once per Node',
  );
  assert.equal((await encodedNode(nodes[0]!, GROUP)).json.toString(), JSON.stringify(view));
  assert.deepEqual((await encodedNode(nodes[0]!, GROUP)).view(), JSON.parse(JSON.stringify(view)));
});

test("a view's metadata bytes are a slice of its encoded bytes, not a second copy", async () => {
  const node: V1Node = {
    metadata: { name: 'n1', uid: 'u-1', resourceVersion: '7', labels: { pool: 'a', 'quote"d': 'ü' } },
    spec: { providerID: 'aws:///us-east-1a/i-0123456789abcdef0' },
  };
  const view = await nodeView(node, GROUP);
  const encoded = encodeView(view);
  assert.equal(encoded.metadataJson.toString(), JSON.stringify(view.metadata));
  assert.equal(encoded.metadataJson.buffer, encoded.json.buffer);
  assert.deepEqual(encoded.metadata, JSON.parse(JSON.stringify(view.metadata)));
});

test('a list of Nodes is encoded in order, each Node once, the kept encodings reused', async () => {
  const nodes = [
    node('aws:///us-east-1a/i-0123456789abcdef0'),
    node(undefined),
    node('aws:///x/fargate-ip-1'),
  ];
  const first = await encodedNodes(nodes, GROUP);
  assert.deepEqual(
    first.map((n) => n.view().spec.providerID),
    nodes.map((n) => n.spec!.providerID),
  );
  const again = await encodedNodes(nodes, GROUP);
  first.forEach((n, i) => assert.equal(again[i], n, 'the kept encoding'));
});
