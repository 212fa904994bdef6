import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import { isTransientReviewError, withReviewRetry, type RetryClock } from '../../../src/auth/review-retry.js';

/** A clock whose sleeps pass at once and are recorded. */
function fakeClock(random = 0): RetryClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => random,
  };
}

const refused = Object.assign(new TypeError('fetch failed'), {
  cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }),
});

test('transient failures are retried with Go’s backoff: 500 ms ×1.5, five attempts in all', async () => {
  const clock = fakeClock();
  let calls = 0;
  await assert.rejects(
    withReviewRetry(() => {
      calls++;
      return Promise.reject(new ApiException(500, 'etcd is down', {}, {}));
    }, clock),
    /etcd is down/,
  );
  assert.equal(calls, 5);
  assert.deepEqual(clock.slept, [500, 750, 1125, 1687.5]);
});

test('a blip is ridden out: the review answers once the connection is back', async () => {
  const clock = fakeClock(1);
  let calls = 0;
  const answer = await withReviewRetry(
    () => (++calls < 3 ? Promise.reject(refused) : Promise.resolve('ok')),
    clock,
  );
  assert.equal(answer, 'ok');
  assert.deepEqual(clock.slept, [600, 900]); // with the full 20 % jitter
});

test('a plain refusal of the review (403, 401, 400) and our own timeout are not retried', async () => {
  for (const err of [
    new ApiException(403, 'forbidden', {}, {}),
    new ApiException(401, 'unauthorized', {}, {}),
    new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
  ]) {
    const clock = fakeClock();
    let calls = 0;
    await assert.rejects(withReviewRetry(() => (calls++, Promise.reject(err)), clock));
    assert.equal(calls, 1, String(err));
  }
});

test('retries stop at the budget: no wait that would end past it', async () => {
  const clock = fakeClock();
  let calls = 0;
  await assert.rejects(withReviewRetry(() => (calls++, Promise.reject(refused)), clock, 1_000));
  assert.equal(calls, 2);
  assert.deepEqual(clock.slept, [500]);
});

test('what is transient: resets, refusals, 5xx, 429, Retry-After', () => {
  const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
  assert.equal(isTransientReviewError(reset), true);
  assert.equal(isTransientReviewError(refused), true);
  assert.equal(isTransientReviewError(new ApiException(429, '', {}, {})), true);
  assert.equal(isTransientReviewError(new ApiException(503, '', {}, {})), true);
  assert.equal(isTransientReviewError(new ApiException(409, '', {}, { 'retry-after': '1' })), true);
  assert.equal(isTransientReviewError(new ApiException(404, '', {}, {})), false);
  assert.equal(isTransientReviewError(new Error('bad certificate')), false);
});
