import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodedNodeTable, nodeTable, rowText } from '../../../src/nodes/node-table.js';
import type { NodeView } from '../../../src/nodes/node-view.js';
import { encodeView } from '../../../src/nodes/encoded-node.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const view = (status: Partial<NodeView['status']>): NodeView => ({
  apiVersion: 'infraops.michael.io/v1',
  kind: 'Node',
  metadata: { name: 'n1', creationTimestamp: '2026-11-22T10:00:00Z' },
  spec: {},
  status: { restartable: true, ready: 'True', ...status },
});

test('each row has one cell per column, in the columns’ order; wide columns have priority 1', () => {
  const table = nodeTable(
    [
      view({ cloud: 'aws', region: 'us-east-1', instanceID: 'i-1', zone: 'us-east-1a' }),
      view({ powerState: 'Stopped', restart: { operationID: 'op', phase: 'Draining', time: '' } }),
    ],
    {},
    'None',
    'v1',
    NOW,
  );
  const names = table.columnDefinitions!.map((c) => c.name);
  assert.deepEqual(names, [
    'Name',
    'Cloud',
    'Region',
    'Instance',
    'Ready',
    'Age',
    'Zone',
    'Message',
    'Power',
    'Restart',
  ]);
  assert.deepEqual(
    table.columnDefinitions!.filter((c) => c.priority === 0).map((c) => c.name),
    ['Name', 'Cloud', 'Region', 'Instance', 'Ready', 'Age'],
  );
  const [first, second] = table.rows;
  assert.deepEqual(first!.cells, ['n1', 'aws', 'us-east-1', 'i-1', 'True', '120m', 'us-east-1a', '', '', '']);
  assert.deepEqual(second!.cells.slice(1, 4), ['<unknown>', '<unknown>', '<none>']);
  assert.deepEqual(second!.cells.slice(-2), ['Stopped', 'Draining']);
  assert.equal(first!.object, undefined);
});

// As made for one read (text), and as kept (bytes of its own).
const forms = [(v: NodeView) => encodeView(v), (v: NodeView) => encodeView(v).kept()];

test('the encoded Table is byte for byte nodeTable’s JSON, for every includeObject, as the clock moves', async () => {
  const views = [
    view({ cloud: 'aws', region: 'us-east-1', instanceID: 'i-1', zone: 'us-east-1a' }),
    view({ message: 'quote " and \\ and ü', powerState: 'Stopped' }),
    { ...view({}), metadata: { name: 'n3', labels: { a: 'b' } } },
  ];
  const meta = { resourceVersion: '42', continue: 'abc' };
  for (const encoded of forms)
    for (const include of ['None', 'Metadata', 'Object'] as const)
      for (const now of [NOW, NOW + 3 * 86_400_000]) {
        const expected = JSON.stringify(nodeTable(views, meta, include, 'v1', now));
        const table = encodedNodeTable(views, encoded, meta, include, 'v1', now);
        assert.equal((await table.bytes()).toString(), expected, `${include} at ${now}`);
        for (const pieceBytes of [1, 7, 100])
          assert.equal((await table.bytes(pieceBytes)).toString(), expected, `in pieces of ${pieceBytes}`);
      }
  assert.equal(
    (await encodedNodeTable([], forms[0]!, {}, 'None', 'v1beta1', NOW).bytes()).toString(),
    JSON.stringify(nodeTable([], {}, 'None', 'v1beta1', NOW)),
  );
});

test('a Node’s encoding is one allocation of its own: the view’s JSON, then its row’s cells but Age', () => {
  for (const v of [
    view({ cloud: 'aws' }),
    { ...view({}), metadata: { name: 'n2', creationTimestamp: '' } },
  ]) {
    const n = encodeView(v).kept();
    const [before, after] = rowText(v);
    assert.equal(n.json.byteOffset, 0);
    assert.equal(n.json.buffer.byteLength, Buffer.byteLength(JSON.stringify(v) + before + after));
  }
});
