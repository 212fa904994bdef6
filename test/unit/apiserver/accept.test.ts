import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_MEDIA_RANGES, acceptsPlainJson, asksFor, parseAccept } from '../../../src/apiserver/accept.js';

const TABLE_V1 = 'application/json;as=Table;v=v1;g=meta.k8s.io';

test('no header, or an empty one, is no ranges', () => {
  assert.deepEqual(parseAccept(undefined), []);
  assert.deepEqual(parseAccept(''), []);
});

test('types are lowercased, parameters read with lowercase names, quotes and spaces dropped', () => {
  assert.deepEqual(parseAccept('Application/JSON ; AS=Table; v="v1" ;g = meta.k8s.io'), [
    { type: 'application/json', params: { as: 'Table', v: 'v1', g: 'meta.k8s.io' }, q: 1 },
  ]);
});

test('what kubectl get sends: Table v1, Table v1beta1, then plain JSON, in that order', () => {
  const ranges = parseAccept(
    `${TABLE_V1},application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`,
  );
  assert.deepEqual(
    ranges.map((r) => [r.type, r.params.v ?? '']),
    [
      ['application/json', 'v1'],
      ['application/json', 'v1beta1'],
      ['application/json', ''],
    ],
  );
});

test('q orders the ranges; q=0 and junk q are dropped', () => {
  const ranges = parseAccept('application/yaml;q=0.5, application/json;q=0.9, text/plain;q=0, a/b;q=x');
  assert.deepEqual(
    ranges.map((r) => [r.type, r.q]),
    [
      ['application/json', 0.9],
      ['application/yaml', 0.5],
    ],
  );
});

test('at equal q, concrete types come before wildcards, as goautoneg sorts them', () => {
  assert.deepEqual(
    parseAccept(`*/*, application/*, ${TABLE_V1}`).map((r) => r.type),
    ['application/json', 'application/*', '*/*'],
  );
  // Two concrete ranges keep their order.
  assert.deepEqual(
    parseAccept('application/yaml, application/json').map((r) => r.type),
    ['application/yaml', 'application/json'],
  );
});

test('acceptsPlainJson: application/json, application/* and */* without as=', () => {
  const ok = (h: string) => acceptsPlainJson(parseAccept(h)[0]!);
  assert.equal(ok('application/json'), true);
  assert.equal(ok('application/*'), true);
  assert.equal(ok('*/*'), true);
  assert.equal(ok(TABLE_V1), false);
  assert.equal(ok('application/yaml'), false);
  assert.equal(ok('application/vnd.kubernetes.protobuf'), false);
});

test('asksFor: the as=KIND rendering of a group, in one of the versions', () => {
  const [r] = parseAccept(TABLE_V1);
  assert.equal(asksFor(r!, 'Table', 'meta.k8s.io', ['v1', 'v1beta1']), 'v1');
  assert.equal(asksFor(r!, 'Table', 'meta.k8s.io', ['v1beta1']), undefined);
  assert.equal(asksFor(r!, 'PartialObjectMetadata', 'meta.k8s.io', ['v1']), undefined);
  assert.equal(asksFor(r!, 'Table', 'other.group', ['v1']), undefined);
  const [yaml] = parseAccept('application/yaml;as=Table;v=v1;g=meta.k8s.io');
  assert.equal(asksFor(yaml!, 'Table', 'meta.k8s.io', ['v1']), undefined);
});

test('a header of thousands of ranges is read to MAX_MEDIA_RANGES only, and sorted as goautoneg ranks them', () => {
  const junk = Array.from({ length: 3_800 }, (_, i) => `application/x-${i};q=0.${(i % 9) + 1}`);
  const ranges = parseAccept([...junk.slice(0, 20), '*/*;q=1', ...junk.slice(20)].join(','));
  assert.equal(ranges.length, MAX_MEDIA_RANGES);
  assert.deepEqual(ranges[0], { type: '*/*', params: {}, q: 1 });
  assert.ok(ranges.every((r, i) => i === 0 || r.q <= ranges[i - 1]!.q));
  // A range past the cap is not considered, whatever it says.
  const late = parseAccept([...junk.slice(0, MAX_MEDIA_RANGES), 'application/json'].join(','));
  assert.equal(
    late.find((r) => r.type === 'application/json'),
    undefined,
  );
});
