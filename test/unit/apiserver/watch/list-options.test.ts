import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRing } from '../../../../src/apiserver/watch/event-ring.js';
import {
  checkListVersion,
  isWatch,
  listedState,
  watchOptions,
} from '../../../../src/apiserver/watch/list-options.js';
import { decodeContinue, encodeContinue } from '../../../../src/apiserver/continue-token.js';
import { StatusError } from '../../../../src/apiserver/status.js';

function ringAt(rv: number): EventRing<string> {
  const ring = new EventRing<string>(10, (s) => s);
  ring.reset(rv);
  return ring;
}

const statusOf = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    return err.status;
  }
  assert.fail('expected a Status');
};

test('watch=1, true, t are watches; false, 0 and absent are not; other text is 400', async () => {
  for (const w of ['1', 'true', 't', 'True']) assert.equal(isWatch({ watch: w }), true);
  for (const w of [undefined, '0', 'false', '']) assert.equal(isWatch({ watch: w }), false);
  assert.equal((await statusOf(() => isWatch({ watch: 'yes' })))?.code, 400);
});

test('list: unset, 0 and NotOlderThan are served from the latest state; Exact of an older one as it was then', async () => {
  const ring = ringAt(100);
  assert.equal(await checkListVersion({}, ring), undefined);
  assert.equal(await checkListVersion({ resourceVersion: '0' }, ring), undefined);
  assert.equal(
    await checkListVersion({ resourceVersion: '90', resourceVersionMatch: 'NotOlderThan' }, ring),
    undefined,
  );
  assert.equal(
    await checkListVersion({ resourceVersion: '100', resourceVersionMatch: 'Exact' }, ring),
    undefined,
  );
  ring.push('ADDED', 'b', '101');
  assert.equal(await checkListVersion({ resourceVersion: '100', resourceVersionMatch: 'Exact' }, ring), 100);
  const expired = await statusOf(
    checkListVersion({ resourceVersion: '1', resourceVersionMatch: 'Exact' }, ring),
  );
  assert.deepEqual(
    [expired?.code, expired?.reason, expired?.message],
    [410, 'Expired', 'The resourceVersion for the provided list is too old.'],
  );
});

test('the state at a revision: the changes since undone, newest first; 410 once the ring has moved past it', async () => {
  type Obj = { name: string; v: number };
  const ring = new EventRing<Obj>(4, (o) => o.name);
  const a1 = { name: 'a', v: 1 };
  const b1 = { name: 'b', v: 1 };
  ring.push('ADDED', a1, '10');
  ring.push('ADDED', b1, '11');
  ring.reset(11);
  const a2 = { name: 'a', v: 2 };
  const c1 = { name: 'c', v: 1 };
  ring.push('MODIFIED', a2, '12');
  ring.push('ADDED', c1, '13');
  ring.push('DELETED', b1, '14');
  const current = [a2, c1];
  const names = (objects: readonly Obj[]) => objects.map((o) => `${o.name}${o.v}`).sort();
  assert.deepEqual(names(listedState(ring, current, 11)), ['a1', 'b1']);
  assert.deepEqual(names(listedState(ring, current, 12)), ['a2', 'b1']);
  assert.deepEqual(names(listedState(ring, current, 13)), ['a2', 'b1', 'c1']);
  assert.equal(listedState(ring, current, undefined), current);
  ring.push('MODIFIED', { name: 'c', v: 2 }, '15');
  ring.push('MODIFIED', { name: 'c', v: 3 }, '16'); // the ring of 4 drops 12: 11 is no longer held
  assert.equal((await statusOf(() => listedState(ring, current, 11)))?.code, 410);
});

test('continue: a token lists at its revision; one the ring no longer holds is 410 with a token for the latest', async () => {
  const ring = new EventRing<string>(2, (s) => s);
  ring.reset(100);
  const token = encodeContinue('node-3', 100);
  ring.push('ADDED', 'a', '101');
  assert.equal(await checkListVersion({ continue: token }, ring), 100);
  assert.equal(await checkListVersion({ continue: encodeContinue('node-3', 101) }, ring), undefined);
  ring.push('ADDED', 'b', '102');
  ring.push('ADDED', 'c', '103'); // drops 101: 100 is no longer held
  const expired = await statusOf(checkListVersion({ continue: token }, ring));
  assert.deepEqual([expired?.code, expired?.reason], [410, 'Expired']);
  assert.match(
    expired!.message!,
    /^The provided continue parameter is too old to display a consistent list result\. /,
  );
  assert.deepEqual(decodeContinue(expired!.metadata.continue!), { start: 'node-3', rv: -1 });
  assert.equal(await checkListVersion({ continue: expired!.metadata.continue! }, ring), undefined);
  const zero = Buffer.from('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}').toString('base64url');
  assert.deepEqual(
    [
      400,
      'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    ],
    [
      (await statusOf(checkListVersion({ continue: zero }, ring)))?.code,
      (await statusOf(checkListVersion({ continue: zero }, ring)))?.message,
    ],
  );
});

test('list: a resourceVersion newer than any seen waits for it, then 504 ResourceVersionTooLarge', async () => {
  const ring = ringAt(100);
  const waiting = checkListVersion({ resourceVersion: '101' }, ring);
  ring.push('ADDED', 'a', '101');
  await waiting;
  const tooLarge = await statusOf(checkListVersion({ resourceVersion: '500' }, ring));
  assert.deepEqual(
    [
      tooLarge?.code,
      tooLarge?.reason,
      tooLarge?.details?.causes?.[0]?.reason,
      tooLarge?.details?.retryAfterSeconds,
    ],
    [504, 'Timeout', 'ResourceVersionTooLarge', 1],
  );
});

test("list: kube-apiserver's ListOptions rules, 422 on meta.k8s.io ListOptions", async () => {
  const ring = ringAt(100);
  const cases: [Record<string, string>, string][] = [
    [
      { resourceVersionMatch: 'Exact' },
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    ],
    [
      { resourceVersion: '0', resourceVersionMatch: 'Exact' },
      'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    ],
    [{ resourceVersion: '5', resourceVersionMatch: 'Newest' }, 'Unsupported value: "Newest"'],
    [{ sendInitialEvents: 'true' }, 'sendInitialEvents is forbidden for list'],
  ];
  for (const [query, message] of cases) {
    const status = await statusOf(checkListVersion(query, ring));
    assert.equal(status?.code, 422, JSON.stringify(query));
    assert.equal(status?.details?.kind, 'ListOptions');
    assert.ok(status?.message?.includes(message), `${status?.message} should include ${message}`);
  }
  const withContinue = await statusOf(
    checkListVersion({ resourceVersion: '5', continue: encodeContinue('a', 100) }, ring),
  );
  assert.deepEqual(
    [withContinue?.code, withContinue?.message],
    [400, 'specifying resource version is not allowed when using continue'],
  );
  assert.equal((await statusOf(checkListVersion({ resourceVersion: 'abc' }, ring)))?.code, 400);
});

test('watch: resourceVersion semantics', () => {
  const fixed = () => 0;
  assert.deepEqual(watchOptions({}, fixed), {
    after: undefined,
    initialEvents: true,
    bookmarks: false,
    initialEventsEnd: false,
    timeoutMs: 30 * 60 * 1000,
  });
  assert.equal(watchOptions({ resourceVersion: '0' }).initialEvents, true);
  assert.deepEqual(
    { ...watchOptions({ resourceVersion: '42', allowWatchBookmarks: 'true', timeoutSeconds: '5' }) },
    { after: 42, initialEvents: false, bookmarks: true, initialEventsEnd: false, timeoutMs: 5000 },
  );
  const streaming = watchOptions({
    sendInitialEvents: 'true',
    resourceVersionMatch: 'NotOlderThan',
    allowWatchBookmarks: 'true',
    resourceVersion: '42',
  });
  assert.deepEqual(
    [streaming.initialEvents, streaming.initialEventsEnd, streaming.after],
    [true, true, undefined],
  );
  const fromNow = watchOptions({ sendInitialEvents: 'false', resourceVersionMatch: 'NotOlderThan' });
  assert.deepEqual([fromNow.initialEvents, fromNow.after], [false, undefined]);
});

test('watch: sendInitialEvents needs NotOlderThan, resourceVersionMatch needs sendInitialEvents', async () => {
  const a = await statusOf(() => watchOptions({ sendInitialEvents: 'true' }));
  assert.ok(a?.message?.includes('sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  const b = await statusOf(() =>
    watchOptions({ resourceVersionMatch: 'NotOlderThan', resourceVersion: '1' }),
  );
  assert.ok(
    b?.message?.includes('resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'),
  );
  assert.equal((await statusOf(() => watchOptions({ timeoutSeconds: '-1' })))?.code, 400);
});
