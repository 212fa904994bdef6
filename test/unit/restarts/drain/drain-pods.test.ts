import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { describeDrain, podName, podsToEvict } from '../../../../src/restarts/drain/drain-pods.js';

const pod = (name: string, extra: Partial<NonNullable<V1Pod['metadata']>> = {}): V1Pod => ({
  metadata: { name, namespace: 'apps', ...extra },
});
const owner = (kind: string, controller = true) => ({
  ownerReferences: [{ apiVersion: 'apps/v1', kind, name: 'x', uid: 'u', controller }],
});

test('DaemonSet and mirror pods stay; everything else is evicted', () => {
  const pods = [
    pod('web', owner('ReplicaSet')),
    pod('agent', owner('DaemonSet')),
    pod('not-controlled', owner('DaemonSet', false)),
    pod('static', { annotations: { 'kubernetes.io/config.mirror': 'abc' } }),
    pod('bare'),
  ];
  assert.deepEqual(podsToEvict(pods).map(podName), ['apps/web', 'apps/not-controlled', 'apps/bare']);
});

test('the drain message names what is left and each refusal, and shortens long lists', () => {
  assert.equal(
    describeDrain({ left: ['a/1'], blocked: [{ pod: 'a/1', why: 'budget web' }] }),
    '1 pod left (a/1); eviction of a/1 refused: budget web',
  );
  const many = Array.from({ length: 7 }, (_, i) => `a/${i}`);
  const text = describeDrain({ left: many, blocked: many.map((p) => ({ pod: p, why: 'no' })) });
  assert.match(text, /^7 pods left \(a\/0, a\/1, a\/2, a\/3, a\/4 and 2 more\)/);
  assert.match(text, /; 2 more refused$/);
});
