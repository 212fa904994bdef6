import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeNode, rfc3339 } from '../../../src/kube/node-protobuf.js';
import { ProtobufError, ProtobufReader } from '../../../src/kube/protobuf-reader.js';
import {
  bytesField,
  fixedField,
  mapField,
  message,
  timeField,
  varintField,
} from '../../support/protobuf-encode.js';

test('seconds are written as Go writes time.RFC3339 in UTC', () => {
  const samples = [0, 59, 86_399, 951_782_400, 951_868_799, 4_107_542_400, 1_796_688_000, 253_402_300_799];
  for (let s = 0; s < 4e9; s += 7_777_777) samples.push(s);
  for (const s of samples)
    assert.equal(rfc3339(s), new Date(s * 1000).toISOString().replace('.000Z', 'Z'), String(s));
});

test('a Node decodes to what its JSON holds of the projected fields, stepping over the rest', () => {
  const condition = (type: string, status: string, transition?: number) =>
    bytesField(
      4,
      message(
        bytesField(1, type),
        bytesField(2, status),
        timeField(3, 1_700_000_000),
        timeField(4, transition),
        bytesField(6, 'text'),
      ),
    );
  const node = message(
    bytesField(
      1,
      message(
        bytesField(1, 'n1'),
        bytesField(2, ''), // generateName
        bytesField(5, 'uid-1'),
        bytesField(6, '42'),
        varintField(7, 3), // generation
        timeField(8, 1_796_688_000),
        mapField(11, { a: 'x', 'kubernetes.io/hostname': 'h1' }),
        mapField(12, { 'infraops.michael.io/power': 'on', other: 'y' }),
        bytesField(17, 'managed fields'),
      ),
    ),
    bytesField(2, message(bytesField(1, '10.0.0.0/24'), bytesField(3, 'aws:///z/i-1'), varintField(4, 1))),
    bytesField(
      3,
      message(
        condition('MemoryPressure', 'False', 1_700_000_000),
        condition('Ready', 'True', 1_796_688_001),
        bytesField(5, message(bytesField(1, 'InternalIP'), bytesField(2, '10.0.0.1'))),
        bytesField(7, message(bytesField(1, 'machine'), bytesField(3, 'boot-1'), bytesField(4, 'kernel'))),
        bytesField(8, bytesField(1, 'image')),
        fixedField(99, 32),
        fixedField(98, 64),
      ),
    ),
  );
  assert.deepEqual(decodeNode(node), {
    metadata: {
      name: 'n1',
      uid: 'uid-1',
      resourceVersion: '42',
      creationTimestamp: '2026-12-08T00:00:00Z',
      labels: { a: 'x', 'kubernetes.io/hostname': 'h1' },
      annotations: { 'infraops.michael.io/power': 'on', other: 'y' },
    },
    spec: { providerID: 'aws:///z/i-1' },
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastTransitionTime: '2023-11-14T22:13:20Z' },
        { type: 'Ready', status: 'True', lastTransitionTime: '2026-12-08T00:00:01Z' },
      ],
      addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      nodeInfo: { bootID: 'boot-1' },
    },
  });
});

test('what the JSON leaves out is left out: empty strings, zero creation time; a zero transition is null', () => {
  const node = message(
    bytesField(1, message(bytesField(1, ''), bytesField(5, ''), bytesField(6, ''), timeField(8, undefined))),
    bytesField(2, message(bytesField(3, ''))),
    bytesField(
      3,
      message(bytesField(4, message(bytesField(1, 'Ready'), bytesField(2, ''), timeField(4, undefined)))),
    ),
  );
  assert.deepEqual(decodeNode(node), {
    metadata: { name: undefined, uid: undefined, resourceVersion: undefined },
    spec: { providerID: undefined },
    status: {
      conditions: [{ type: 'Ready', status: '', lastTransitionTime: null }],
      nodeInfo: { bootID: '' },
    },
  });
});

test('a truncated or malformed message is an error, not a wrong Node', () => {
  const node = message(bytesField(1, message(bytesField(1, 'n1'), bytesField(6, '42'))));
  assert.throws(() => decodeNode(node.subarray(0, node.length - 1)), ProtobufError);
  assert.throws(() => decodeNode(Buffer.from([0x0b])), ProtobufError); // wire type 3 (groups)
  assert.throws(() => decodeNode(Buffer.from([0x0a, 0xff])), ProtobufError); // a varint cut short
  const varint = new ProtobufReader(varintField(1, 5));
  assert.ok(varint.next());
  assert.throws(() => varint.string(), ProtobufError);
});
