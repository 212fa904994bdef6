import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DONE, EncodedJson, encode, listFrame, putWhole } from '../../../src/apiserver/encoded-json.js';
import { Pieces } from '../../../src/apiserver/pieces.js';

const value = { kind: 'L', metadata: { note: 'a "quoted" [] ü' } };
const [head, tail] = listFrame(value, 'items');

test('a list framed around kept items is the text JSON.stringify writes, whatever the piece size', async () => {
  const items = [{ a: 1 }, { b: [2, 3] }, 'x'];
  const expected = JSON.stringify({ ...value, items });
  const list = new EncodedJson([head, tail], items.map(encode), putWhole);
  for (const pieceBytes of [1, 3, 16, 4096])
    assert.equal((await list.bytes(pieceBytes)).toString(), expected);
  assert.equal(
    (await new EncodedJson([head, tail], [], putWhole).bytes()).toString(),
    JSON.stringify({ ...value, items: [] }),
  );
  assert.throws(() => listFrame({ items: [] }, 'items'), /left out/);
});

test('items are encoded as their turn comes, kept ones without waiting, and filling stops at a full piece', async () => {
  const made: number[] = [];
  const list = new EncodedJson([head, tail], [0, 1, 2, 3, 4, 5], putWhole, (i) =>
    i % 2 ? (made.push(i), Promise.resolve(encode({ i }))) : encode({ i }),
  );
  const into = new Pieces(16);
  const next = await list.fill(into, 0);
  assert.ok(next > 0 && next < 6, `stopped at item ${next}`);
  assert.ok(into.full);
  assert.deepEqual(
    made,
    [1, 3, 5].filter((i) => i < next),
    'nothing encoded past where it stopped',
  );
  let n = next;
  const pieces = into.take();
  while (n !== DONE) {
    n = await list.fill(into, n);
    pieces.push(...into.take());
  }
  pieces.push(into.rest());
  assert.equal(
    Buffer.concat(pieces).toString(),
    JSON.stringify({ ...value, items: [0, 1, 2, 3, 4, 5].map((i) => ({ i })) }),
  );
  assert.ok(
    pieces.slice(0, -1).every((p) => p.length === 16),
    'full pieces are whole',
  );
});

test('texts and bytes written into pieces of any size come out as the same UTF-8, never a character cut', () => {
  const parts = ['{"a":"ü€𝄞"', Buffer.from(',"b":"x'), '"ü"', Buffer.from('ü𝄞}')];
  const expected = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
  for (const size of [1, 2, 3, 5, 8, 13, 64]) {
    const into = new Pieces(size);
    for (const p of parts) {
      if (typeof p === 'string') into.putText(p);
      else into.put(p);
    }
    const pieces = [...into.take(), into.rest()];
    assert.ok(
      pieces.slice(0, -1).every((p) => p.length === size),
      `whole pieces of ${size}`,
    );
    assert.ok(Buffer.concat(pieces).equals(expected), `pieces of ${size}`);
  }
});
