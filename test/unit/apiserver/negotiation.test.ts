import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateRendering } from '../../../src/apiserver/negotiation.js';

const TABLE = (v: string) => `application/json;as=Table;v=${v};g=meta.k8s.io`;
const POM = (kind: string, v = 'v1') => `application/json;as=${kind};v=${v};g=meta.k8s.io`;

test('no Accept header, or plain JSON: our objects', () => {
  assert.deepEqual(negotiateRendering(undefined, true), { as: 'object' });
  assert.deepEqual(negotiateRendering('', false), { as: 'object' });
  assert.deepEqual(negotiateRendering('application/json', true), { as: 'object' });
  assert.deepEqual(negotiateRendering('*/*', false), { as: 'object' });
});

test('kubectl get: a Table, in the first version asked for that we serve', () => {
  assert.deepEqual(negotiateRendering(`${TABLE('v1')},${TABLE('v1beta1')},application/json`, true), {
    as: 'table',
    version: 'v1',
  });
  assert.deepEqual(negotiateRendering(`${TABLE('v1beta1')},application/json`, false), {
    as: 'table',
    version: 'v1beta1',
  });
  // An unknown Table version falls through to the next acceptable range.
  assert.deepEqual(negotiateRendering(`${TABLE('v2')},application/json`, true), { as: 'object' });
});

test('the metadata client: PartialObjectMetadataList for a list, PartialObjectMetadata for one object', () => {
  assert.deepEqual(negotiateRendering(`${POM('PartialObjectMetadataList')},application/json`, true), {
    as: 'metadata',
    version: 'v1',
  });
  assert.deepEqual(negotiateRendering(`${POM('PartialObjectMetadata', 'v1beta1')}`, false), {
    as: 'metadata',
    version: 'v1beta1',
  });
  // The single-object kind on a list (and the reverse) is not what was asked for.
  assert.equal(negotiateRendering(POM('PartialObjectMetadata'), true), undefined);
  assert.equal(negotiateRendering(POM('PartialObjectMetadataList'), false), undefined);
});

test('nothing acceptable: undefined (the caller answers 406)', () => {
  assert.equal(negotiateRendering('application/yaml', true), undefined);
  assert.equal(negotiateRendering('application/vnd.kubernetes.protobuf', false), undefined);
  assert.equal(negotiateRendering(TABLE('v2'), true), undefined);
});

test('q values and wildcards are ranked before choosing', () => {
  assert.deepEqual(negotiateRendering(`application/json;q=0.5,${TABLE('v1')}`, true), {
    as: 'table',
    version: 'v1',
  });
  assert.deepEqual(negotiateRendering(`*/*,${TABLE('v1')}`, true), { as: 'table', version: 'v1' });
});
