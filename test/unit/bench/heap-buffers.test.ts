import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSnapshot } from 'node:v8';
import { bufferHolders } from '../../bench/heap-buffers.js';

class SlabHolderProbe {
  constructor(readonly kept: Buffer) {}
}

test('bufferHolders finds a pool slab kept alive by a small Buffer, and what holds that Buffer', async () => {
  const probe = new SlabHolderProbe(Buffer.from('a few kept bytes')); // a slice of the shared pool
  const own = Buffer.allocUnsafeSlow(Buffer.poolSize); // a store of the same size, in no pool
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const { stores, holders } = bufferHolders(
    JSON.parse(Buffer.concat(chunks).toString('utf8')),
    Buffer.poolSize,
  );
  assert.ok((stores.find((s) => s.size === Buffer.poolSize)?.count ?? 0) >= 2, JSON.stringify(stores));
  const held = holders.filter(([path]) => path.includes('object:SlabHolderProbe.kept'));
  assert.equal(held.length, 1, holders.map(([p]) => p).join('\n'));
  assert.match(held[0]![0], /^object:Buffer <- object:SlabHolderProbe\.kept/);
  assert.equal(probe.kept.buffer.byteLength, Buffer.poolSize);
  assert.equal(own.buffer.byteLength, Buffer.poolSize);
});
