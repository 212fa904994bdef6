import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { LengthPrefixedFrames, watchListProtobuf } from '../../../src/kube/protobuf-watch-list.js';
import { decodeNode } from '../../../src/kube/node-protobuf.js';
import { bytesField, mapField, message, watchFrame } from '../../support/protobuf-encode.js';
import { withServer } from '../../support/fake-watch-server.js';

const PROTOBUF_WATCH = 'application/vnd.kubernetes.protobuf;stream=watch';
const meta = (name: string, rv: string, annotations: Record<string, string> = {}) =>
  message(bytesField(1, name), bytesField(6, rv), mapField(12, annotations));
/** A Node with 50 images (status field 8), which the decoder steps over. */
const node = (name: string, rv: string) =>
  message(
    bytesField(1, meta(name, rv)),
    bytesField(
      3,
      message(...Array.from({ length: 50 }, (_, i) => bytesField(8, bytesField(1, `image-${i}`)))),
    ),
  );
const bookmark = (rv: string) =>
  watchFrame('BOOKMARK', bytesField(1, meta('', rv, { 'k8s.io/initial-events-end': 'true' })));
const names = (list: { items: V1Node[] } | undefined) => list?.items.map((n) => n.metadata?.name);
const listOf = (kc: Parameters<typeof watchListProtobuf>[0]) =>
  watchListProtobuf<V1Node>(kc, '/api/v1/nodes', { decode: decodeNode, transform: (n) => n });

test('frames split anywhere across chunks come out whole, in order', () => {
  const frames = [watchFrame('ADDED', node('a', '1')), watchFrame('ADDED', node('b', '2')), bookmark('3')];
  const stream = Buffer.concat(frames);
  const expected = frames.map((f) => f.subarray(4).toString('hex'));
  for (const size of [1, 2, 3, 5, 7, 64, 333, frames[0]!.length, stream.length]) {
    const framer = new LengthPrefixedFrames();
    const out: string[] = [];
    for (let at = 0; at < stream.length; at += size)
      for (const f of framer.push(stream.subarray(at, at + size))) out.push(f.toString('hex'));
    assert.deepEqual(out, expected, `chunks of ${size} bytes`);
    assert.equal(framer.pending, 0);
  }
});

test('the initial state is each ADDED Node decoded and transformed, up to the initial-events-end bookmark', async () => {
  await withServer(
    (res) => {
      res.writeHead(200, { 'Content-Type': PROTOBUF_WATCH });
      const stream = Buffer.concat([
        watchFrame('ADDED', node('a', '5')),
        watchFrame('ADDED', node('b', '6')),
        watchFrame('BOOKMARK', bytesField(1, meta('', '7'))), // a plain bookmark does not end it
      ]);
      // In uneven writes, so that frames span chunks.
      for (let at = 0; at < stream.length; at += 1000) res.write(stream.subarray(at, at + 1000));
      // A Node added after the initial state is the following watch's, not the list's.
      res.write(Buffer.concat([bookmark('9'), watchFrame('ADDED', node('c', '10'))]));
    },
    async (kc, requests) => {
      const list = await watchListProtobuf<V1Node>(kc, '/api/v1/nodes', {
        decode: decodeNode,
        transform: (n) => ({ metadata: { name: n.metadata!.name!.toUpperCase() } }),
        labelSelector: 'pool=a',
      });
      assert.deepEqual(list, {
        apiVersion: 'v1',
        kind: 'List',
        metadata: { resourceVersion: '9' },
        items: [{ metadata: { name: 'A' } }, { metadata: { name: 'B' } }],
      });
      const { query, accept } = requests[0]!;
      assert.equal(accept, PROTOBUF_WATCH);
      assert.deepEqual(
        ['watch', 'sendInitialEvents', 'resourceVersionMatch', 'allowWatchBookmarks', 'labelSelector'].map(
          (k) => query.get(k),
        ),
        ['true', 'true', 'NotOlderThan', 'true', 'pool=a'],
      );
    },
  );
});

test('anything but a protobuf initial state answers undefined, for the caller to stream JSON', async () => {
  const answers: [string, (res: import('node:http').ServerResponse) => void][] = [
    ['JSON instead', (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}\n')],
    ['406', (res) => res.writeHead(406, { 'Content-Type': 'application/json' }).end('{}')],
    ['422 (WatchList off)', (res) => res.writeHead(422, { 'Content-Type': 'application/json' }).end('{}')],
    [
      'an ERROR event',
      (res) =>
        res
          .writeHead(200, { 'Content-Type': PROTOBUF_WATCH })
          .write(Buffer.concat([watchFrame('ADDED', node('a', '5')), watchFrame('ERROR', Buffer.alloc(0))])),
    ],
    [
      'the stream ends before the bookmark',
      (res) =>
        res.writeHead(200, { 'Content-Type': PROTOBUF_WATCH }).end(watchFrame('ADDED', node('a', '5'))),
    ],
    [
      'a frame that is not a watch event',
      (res) =>
        res.writeHead(200, { 'Content-Type': PROTOBUF_WATCH }).write(Buffer.from([0, 0, 0, 2, 0xff, 0xff])),
    ],
    [
      'an object without the k8s magic',
      (res) => {
        const frame = watchFrame('ADDED', node('a', '5'));
        frame.write('xxxx', frame.indexOf('k8s\0'), 'latin1');
        res.writeHead(200, { 'Content-Type': PROTOBUF_WATCH }).write(frame);
      },
    ],
  ];
  for (const [what, answer] of answers)
    await withServer(answer, async (kc) => assert.equal(names(await listOf(kc)), undefined, what));
});
