import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRing } from '../../../../src/apiserver/watch/event-ring.js';
import { checkListVersion, isWatch, watchOptions } from '../../../../src/apiserver/watch/list-options.js';
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

test('list: unset, 0 and NotOlderThan are served from the latest state; Exact only at it', async () => {
  const ring = ringAt(100);
  await checkListVersion({}, ring);
  await checkListVersion({ resourceVersion: '0' }, ring);
  await checkListVersion({ resourceVersion: '90', resourceVersionMatch: 'NotOlderThan' }, ring);
  await checkListVersion({ resourceVersion: '100', resourceVersionMatch: 'Exact' }, ring);
  const expired = await statusOf(
    checkListVersion({ resourceVersion: '1', resourceVersionMatch: 'Exact' }, ring),
  );
  assert.deepEqual(
    [expired?.code, expired?.reason, expired?.message],
    [410, 'Expired', 'too old resource version: 1 (100)'],
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
  const withContinue = await statusOf(checkListVersion({ resourceVersion: '5', continue: 'x' }, ring));
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
