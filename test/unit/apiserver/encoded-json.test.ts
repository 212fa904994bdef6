import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EncodedJson, encode, joined, listFrame } from '../../../src/apiserver/encoded-json.js';

test('a list framed around kept items is the text JSON.stringify writes', () => {
  const value = { kind: 'L', metadata: { note: 'a "quoted" [] ü' } };
  const items = [{ a: 1 }, { b: [2, 3] }, 'x'];
  const [head, tail] = listFrame(value, 'items');
  const expected = JSON.stringify({ ...value, items });
  const chunks = joined(head, items.map(encode), tail);
  assert.equal(
    Buffer.concat(new EncodedJson(chunks, () => ({ ...value, items })).chunks).toString(),
    expected,
  );
  assert.equal(Buffer.concat(joined(head, [], tail)).toString(), JSON.stringify({ ...value, items: [] }));
  assert.equal(
    Buffer.concat(
      joined(head, [[1, 2]], tail, (item, chunks) => chunks.push(...item.map(encode))),
    ).toString(),
    '{"kind":"L","metadata":{"note":"a \\"quoted\\" [] ü"},"items":[12]}',
  );
  assert.throws(() => listFrame({ items: [] }, 'items'), /left out/);
});

test('JSON.stringify of an EncodedJson goes through its value', () => {
  const chunk = encode({ z: 1 });
  const e = new EncodedJson([chunk], () => ({ z: 1 }));
  assert.equal(JSON.stringify({ wrapped: e }), '{"wrapped":{"z":1}}');
});
