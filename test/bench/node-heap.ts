// `node --expose-gc dist/test/bench/node-heap.js [N]`: what each kubelet-shaped Node costs the server's heap, in one
// process, without a cluster: N Nodes as kubeletNode writes them, parsed from their JSON as they arrive from
// kube-apiserver, projected as the Node cache keeps them, then encoded as a read keeps them (no budget), then one
// Table of them all as while it is sent (its first piece written). Heap used plus ArrayBuffer memory after full
// collections, per Node.
import { randomUUID } from 'node:crypto';
import type { V1Node } from '@kubernetes/client-node';
import { projectNode } from '../../src/kube/node-projection.js';
import { NodeEncodings } from '../../src/nodes/node-encodings.js';
import { Pieces } from '../../src/apiserver/pieces.js';
import { encodedNodeTable } from '../../src/nodes/node-table.js';
import { kubeletNode } from '../support/nodes.js';

const N = Number(process.argv[2] ?? 5000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function used(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const start = used();
const projections: V1Node[] = [];
for (let i = 0; i < N; i++) {
  const node = kubeletNode({ name: `bench-node-${String(i).padStart(5, '0')}`, index: i });
  node.metadata = { ...node.metadata, uid: randomUUID(), resourceVersion: String(1000 + i) };
  node.metadata.creationTimestamp = new Date().toISOString() as never;
  projections.push(projectNode(JSON.parse(JSON.stringify(node)) as V1Node));
}
const projected = used();
const encodings = new NodeEncodings('infraops.michael.io', Infinity, () => true);
for (const node of projections) await encodings.encoding(node);
const read = used();
const table = encodedNodeTable(
  projections,
  (n) => encodings.encoding(n),
  { resourceVersion: '1' },
  'Metadata',
  'v1',
);
const sending = new Pieces();
await table.fill(sending, 0);
const tabled = used();
const per = (from: number, to: number) => `${Math.round((to - from) / N)} B`;
console.log(
  `${N} kubelet Nodes, per Node: projection ${per(start, projected)}, encoding ${per(projected, read)}, ` +
    `one Table of them all while it is sent (${sending.take().length} piece written) ${per(read, tabled)}`,
);
