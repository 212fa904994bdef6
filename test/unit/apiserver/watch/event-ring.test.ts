import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRing, revision } from '../../../../src/apiserver/watch/event-ring.js';

test('a watch resumes with the changes after its resourceVersion', () => {
  const ring = new EventRing<string>(10, (s) => s);
  ring.reset(100);
  ring.push('ADDED', 'a', '101');
  ring.push('MODIFIED', 'a', '105');
  ring.push('DELETED', 'b', '107');
  assert.deepEqual(
    ring.since(101)!.map((c) => [c.type, c.object, c.resourceVersion]),
    [
      ['MODIFIED', 'a', 105],
      ['DELETED', 'b', 107],
    ],
  );
  assert.deepEqual(ring.since(100)!.length, 3);
  assert.deepEqual(ring.since(107), []);
  assert.equal(ring.latest, 107);
});

test('older than the list the ring started from, or than what it dropped: undefined (410 Expired)', () => {
  const ring = new EventRing<string>(2, (s) => s);
  ring.reset(100);
  assert.equal(ring.since(99), undefined);
  ring.push('ADDED', 'a', '101');
  ring.push('ADDED', 'b', '102');
  ring.push('ADDED', 'c', '103'); // drops 101
  assert.equal(ring.oldest, 101);
  assert.equal(ring.since(100), undefined);
  assert.deepEqual(
    ring.since(101)!.map((c) => c.object),
    ['b', 'c'],
  );
  // A relist starts the ring again: what came before it may be missing.
  ring.reset(200);
  assert.equal(ring.since(150), undefined);
  assert.deepEqual(ring.since(200), []);
});

test('a change reported with an older resourceVersion (a relist deletion) still sorts after the others', () => {
  const ring = new EventRing<string>(10, (s) => s);
  ring.reset(100);
  ring.push('MODIFIED', 'a', '120');
  ring.push('DELETED', 'b', '90');
  assert.deepEqual(
    ring.since(119)!.map((c) => [c.object, c.resourceVersion]),
    [
      ['a', 120],
      ['b', 120],
    ],
  );
});

test('subscribers hear every change; reached waits for a resourceVersion', async () => {
  const ring = new EventRing<string>(10, (s) => s);
  const heard: string[] = [];
  const stop = ring.subscribe((c) => heard.push(`${c.type} ${c.object}`));
  const reached = ring.reached(5, 1000);
  ring.push('ADDED', 'x', '5');
  stop();
  ring.push('ADDED', 'y', '6');
  assert.deepEqual(heard, ['ADDED x']);
  assert.equal(await reached, true);
  assert.equal(await ring.reached(50, 10), false);
});

test('revision: etcd revisions only', () => {
  assert.equal(revision('123'), 123);
  for (const bad of [undefined, '', 'abc', '-1', '1.5', '12345678901234567890'])
    assert.equal(revision(bad), undefined);
});
