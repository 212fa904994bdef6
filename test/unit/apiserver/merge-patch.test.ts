import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, isMergePatch } from '../../../src/apiserver/merge-patch.js';

test('RFC 7386: objects merge, null removes, anything else replaces', () => {
  const target = { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] };
  assert.deepEqual(applyMergePatch(target, { a: 'z', c: { f: null }, list: [3] }), {
    a: 'z',
    c: { d: 'e' },
    list: [3],
  });
  assert.deepEqual(target, { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] }, 'the target is left alone');
  assert.deepEqual(applyMergePatch({ a: 1 }, ['x']), ['x']);
  assert.deepEqual(applyMergePatch('text', { a: { b: null } }), { a: {} });
});

test('only application/merge-patch+json is a merge patch', () => {
  assert.ok(isMergePatch('application/merge-patch+json; charset=utf-8'));
  assert.ok(!isMergePatch('application/strategic-merge-patch+json'));
  assert.ok(!isMergePatch('application/json-patch+json'));
  assert.ok(!isMergePatch(undefined));
});
