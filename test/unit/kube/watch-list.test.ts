import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type V1Node } from '@kubernetes/client-node';
import { watchList } from '../../../src/kube/watch-list.js';
import { withServer } from '../../support/fake-watch-server.js';

const event = (type: string, object: object) => JSON.stringify({ type, object }) + '\n';
const node = (name: string, rv: string) => ({
  metadata: { name, resourceVersion: rv },
  status: { images: [{}] },
});
const trim = (n: V1Node): V1Node => ({ metadata: n.metadata });

test('the initial state is each ADDED object transformed, up to the initial-events-end bookmark', async () => {
  await withServer(
    (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(event('ADDED', node('a', '5')) + event('ADDED', node('b', '6')));
      const end = {
        metadata: { resourceVersion: '9', annotations: { 'k8s.io/initial-events-end': 'true' } },
      };
      res.write(event('BOOKMARK', end)); // the stream stays open, as a watch does
    },
    async (kc, requests) => {
      const list = await watchList<V1Node>(kc, '/api/v1/nodes', { transform: trim, labelSelector: 'pool=a' });
      assert.deepEqual(list, {
        apiVersion: 'v1',
        kind: 'List',
        metadata: { resourceVersion: '9' },
        items: [trim(node('a', '5')), trim(node('b', '6'))],
      });
      const q = requests[0]!.query;
      assert.deepEqual(
        ['watch', 'sendInitialEvents', 'resourceVersionMatch', 'allowWatchBookmarks', 'labelSelector'].map(
          (k) => q.get(k),
        ),
        ['true', 'true', 'NotOlderThan', 'true', 'pool=a'],
      );
    },
  );
});

test('a control plane that refuses it (422), or ends the stream without the bookmark: undefined, to list instead', async () => {
  await withServer(
    (res) => {
      res.writeHead(422, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', code: 422, message: 'sendInitialEvents is forbidden' }));
    },
    async (kc) => assert.equal(await watchList<V1Node>(kc, '/api/v1/nodes', { transform: trim }), undefined),
  );
  await withServer(
    (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(event('ADDED', node('a', '5')));
    },
    async (kc) => assert.equal(await watchList<V1Node>(kc, '/api/v1/nodes', { transform: trim }), undefined),
  );
});
