import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duplicateFields, strictProblems } from '../../../src/apiserver/duplicate-fields.js';

test('duplicate keys by path, as sigs.k8s.io/json names them: keys joined by dots, indexes in brackets', () => {
  assert.deepEqual(duplicateFields('{"a":1,"b":{"c":1,"c":2},"a":3}'), ['b.c', 'a']);
  assert.deepEqual(duplicateFields('{"items":[{"n":1},{"n":1,"n":2}]}'), ['items[1].n']);
  assert.deepEqual(duplicateFields('[{"x":1,"x":1}]'), ['[0].x']);
  // Escapes name the same key; a key seen in a sibling object is no duplicate; strings hold no structure.
  assert.deepEqual(duplicateFields('{"\\u0061":1,"a":2}'), ['a']);
  assert.deepEqual(duplicateFields('{"o":{"k":1},"p":{"k":1}}'), []);
  assert.deepEqual(duplicateFields('{"s":"{\\"k\\":1,\\"k\\":2}","t":"]}"}'), []);
  assert.deepEqual(duplicateFields('{"a":1,"a":2,"a":3}'), ['a'], 'each once');
});

test('strict problems: unknown fields, then duplicates not inside an unknown field', () => {
  assert.deepEqual(strictProblems(['force', 'x.y'], ['force', 'force.z', 'x.y[0]', 'forced', 'reason']), [
    'unknown field "force"',
    'unknown field "x.y"',
    'duplicate field "forced"',
    'duplicate field "reason"',
  ]);
  assert.equal(
    strictProblems(
      [],
      Array.from({ length: 150 }, (_, i) => `k${i}`),
    ).length,
    100,
  );
});
