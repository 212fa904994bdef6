import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSnapshot } from 'node:v8';
import { heapKinds } from '../../bench/heap-summary.js';

class HeapSummaryProbe {
  constructor(readonly payload: string) {}
}

test('heapKinds sums self sizes by constructor in a real V8 snapshot', async () => {
  const probes = Array.from({ length: 500 }, (_, i) => new HeapSummaryProbe(`p${i}`));
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const kinds = heapKinds(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  const probe = kinds.find((k) => k.kind === 'object:HeapSummaryProbe');
  assert.ok(probe, 'the probe class is a kind of its own');
  assert.equal(probe.count, probes.length);
  assert.ok(probe.bytes >= probes.length * 16, `${probe.bytes} bytes for ${probe.count} objects`);
  const sorted = kinds.map((k) => k.bytes);
  assert.deepEqual(
    sorted,
    [...sorted].sort((a, b) => b - a),
    'largest first',
  );
});
