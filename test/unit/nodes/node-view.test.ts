import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { nodeView } from '../../../src/nodes/node-view.js';
import { encodeView } from '../../../src/nodes/encoded-node.js';
import { NodeEncodings } from '../../../src/nodes/node-encodings.js';
import { Pieces } from '../../../src/apiserver/pieces.js';
import { NodesService } from '../../../src/nodes/nodes.service.js';
import type { ServerOptions } from '../../../src/config/server-options.js';
import { POWER_ANNOTATION } from '../../../src/nodes/power/power-annotation.js';

const GROUP = 'infraops.michael.io';

function node(
  providerID: string | undefined,
  opts: { mark?: object; readySince?: string; name?: string } = {},
): V1Node {
  const annotations = opts.mark && { [POWER_ANNOTATION]: JSON.stringify(opts.mark) };
  return {
    metadata: { name: opts.name ?? 'n1', ...(annotations && { annotations }) },
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

/** A Node cache holding `nodes`, as NodesService reads it; `change` tells its listeners as the informer does. */
function cacheOf(nodes: V1Node[]) {
  const listeners: ((n: V1Node) => void)[] = [];
  return {
    list: () => nodes,
    resourceVersion: () => '7',
    get: (name: string) => nodes.find((n) => n.metadata!.name === name),
    onChange: (l: (n: V1Node) => void) => void listeners.push(l),
    change(i: number, next: V1Node) {
      nodes[i] = next;
      listeners.forEach((l) => l(next));
    },
  };
}

const providers = ['aws:///us-east-1a/i-0123456789abcdef0', undefined, 'aws:///x/fargate-ip-1'];

test('a NodeList and a PartialObjectMetadataList are the kept bytes of the views, byte for byte what JSON.stringify writes', async () => {
  const nodes = providers.map((p, i) => node(p, { name: `n${i}` }));
  const service = new NodesService(
    cacheOf(nodes) as never,
    { apiGroup: GROUP, nodeEncodingCacheMib: 16 } as ServerOptions,
  );
  for (const limit of [undefined, '2']) {
    const page = await service.list({ limit });
    const views = await Promise.all(page.items.map((n) => nodeView(n, GROUP)));
    const list = { kind: 'NodeList', apiVersion: `${GROUP}/v1`, metadata: page.metadata, items: views };
    assert.equal((await service.listObject(page).bytes()).toString(), JSON.stringify(list));
    for (const version of ['v1', 'v1beta1']) {
      const metadataList = {
        kind: 'PartialObjectMetadataList',
        apiVersion: `meta.k8s.io/${version}`,
        metadata: page.metadata,
        items: views.map((v) => ({
          kind: 'PartialObjectMetadata',
          apiVersion: `meta.k8s.io/${version}`,
          metadata: v.metadata,
        })),
      };
      assert.equal(
        (await service.metadataList(page, version).bytes()).toString(),
        JSON.stringify(metadataList),
      );
    }
  }
  const view = await nodeView(nodes[0]!, GROUP);
  assert.equal(await service.get('n0'), await service.get('n0'), 'encoded once per Node');
  assert.equal((await service.get('n0')).json.toString(), JSON.stringify(view));
  assert.deepEqual((await service.get('n0')).view(), JSON.parse(JSON.stringify(view)));
});

test('encodings are kept for the current projections within the budget, and dropped as their Node changes', async () => {
  const nodes = providers.map((p, i) => node(p, { name: `n${i}` }));
  const cache = cacheOf(nodes);
  const sizes = await Promise.all(nodes.map(async (n) => encodeView(await nodeView(n, GROUP)).size));
  const budget = sizes[0]! + sizes[1]!;
  const encodings = new NodeEncodings(GROUP, budget, (n) => cache.get(n.metadata!.name!) === n);
  cache.onChange((n) => encodings.forget(n.metadata!.name!));
  const first = await Promise.all(nodes.map((n) => encodings.encoding(n)));
  assert.equal(encodings.bytes, budget);
  const kept = nodes.filter((n, i) => encodings.encoding(n) === first[i]);
  assert.equal(kept.length, 2, 'the first two fit the budget; the third is made at each read');
  assert.notEqual(await encodings.encoding(nodes[2]!), first[2]);

  const changed = node('aws:///us-east-1a/i-0fedcba9876543210', { name: 'n0' });
  const before = nodes[0]!;
  cache.change(0, changed);
  assert.equal(encodings.bytes, first[1]!.size, "the changed Node's encoding is no longer counted");
  const old = await encodings.encoding(before);
  assert.equal(
    old.view().spec.providerID,
    providers[0],
    'a past projection (a watch event) still encodes as it was',
  );
  assert.notEqual(await encodings.encoding(before), old, 'but is not kept');
  const fresh = await encodings.encoding(changed);
  assert.equal(await encodings.encoding(changed), fresh, 'the current one is kept again');
  assert.equal(fresh.view().spec.providerID, 'aws:///us-east-1a/i-0fedcba9876543210');

  const none = new NodeEncodings(GROUP, 0, () => true);
  assert.notEqual(await none.encoding(nodes[1]!), await none.encoding(nodes[1]!), 'a budget of 0 keeps none');
  assert.equal(none.bytes, 0);
});

test("a view's metadata is a range of its encoded bytes", async () => {
  const node: V1Node = {
    metadata: { name: 'n1', uid: 'u-1', resourceVersion: '7', labels: { pool: 'a', 'quote"d': 'ü' } },
    spec: { providerID: 'aws:///us-east-1a/i-0123456789abcdef0' },
  };
  const view = await nodeView(node, GROUP);
  for (const encoded of [encodeView(view), encodeView(view).kept()]) {
    const into = new Pieces();
    encoded.putMetadata(into);
    assert.equal(into.rest().toString(), JSON.stringify(view.metadata));
    assert.deepEqual(encoded.metadata, JSON.parse(JSON.stringify(view.metadata)));
    assert.equal(encoded.json.toString(), JSON.stringify(view));
  }
});
