import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CallAborted, type Deadline, withDeadline } from '../../../../src/cloud/call-deadline.js';
import {
  isDroppedConnection,
  isNotConnectedError,
  saysNotConnected,
} from '../../../../src/cloud/network-errors.js';
import { RegionalClients } from '../../../../src/cloud/regional-clients.js';
import { backoffDelay, retrying } from '../../../../src/cloud/retry.js';

test('withDeadline settles at the deadline even when the call ignores its signal', async () => {
  const started = performance.now();
  let seen: AbortSignal | undefined;
  await assert.rejects(
    withDeadline(100, undefined, ({ signal }) => {
      seen = signal;
      return new Promise(() => {});
    }),
    (error: unknown) => error instanceof CallAborted && error.why === 'timeout' && error.afterMs === 100,
  );
  assert.ok(performance.now() - started < 2000);
  assert.equal(seen?.aborted, true);
});

test("withDeadline reports the caller's cancellation, and the abort rather than the SDK's error for it", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  await assert.rejects(
    withDeadline(5000, controller.signal, ({ signal }) =>
      sleep(10_000, undefined, { signal }).then(() => 'late'),
    ),
    (error: unknown) => error instanceof CallAborted && error.why === 'cancelled',
  );
  await assert.rejects(
    withDeadline(5000, AbortSignal.abort(), async () => 'never'),
    CallAborted,
  );
  assert.equal(await withDeadline(5000, undefined, async () => 'done'), 'done');
  await assert.rejects(
    withDeadline(5000, undefined, async () => {
      throw new Error('its own failure');
    }),
    /its own failure/,
  );
});

function deadline(ms: number): Deadline {
  return { signal: new AbortController().signal, at: Date.now() + ms };
}

test('retrying stops at maxAttempts, at a refused error, and before a delay that would pass the deadline', async () => {
  const failing =
    (counter: { n: number }, error = new Error('busy')) =>
    async () => {
      counter.n += 1;
      throw error;
    };
  const base = { baseDelayMs: 1, maxDelayMs: 2, shouldRetry: () => true };
  const three = { n: 0 };
  await assert.rejects(
    retrying(failing(three), { ...base, maxAttempts: 3, deadline: deadline(5000) }),
    /busy/,
  );
  assert.equal(three.n, 3);
  const refused = { n: 0 };
  await assert.rejects(
    retrying(failing(refused), {
      ...base,
      maxAttempts: 3,
      deadline: deadline(5000),
      shouldRetry: () => false,
    }),
  );
  assert.equal(refused.n, 1);
  const late = { n: 0 };
  const slow = { baseDelayMs: 1000, maxDelayMs: 1000, random: () => 0.5, shouldRetry: () => true };
  await assert.rejects(retrying(failing(late), { ...slow, maxAttempts: 5, deadline: deadline(200) }));
  assert.equal(late.n, 1);
  let n = 0;
  const value = await retrying(
    async (attempt) => {
      n = attempt;
      if (attempt < 2) throw new Error('once');
      return 'ok';
    },
    { ...base, maxAttempts: 3, deadline: deadline(5000) },
  );
  assert.deepEqual([value, n], ['ok', 2]);
});

test('backoff is full jitter below a doubling bound, capped', () => {
  const top = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, top)),
    [99, 199, 399, 799, 999, 999],
  );
  assert.equal(backoffDelay(3, { ...top, random: () => 0 }), 0);
});

test('only connection and name-resolution failures prove nothing was sent', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
    code: 'ECONNREFUSED',
    syscall: 'connect',
  });
  assert.equal(isNotConnectedError(refused), true);
  assert.equal(isNotConnectedError({ code: 'ENOTFOUND', syscall: 'getaddrinfo' }), true);
  assert.equal(isNotConnectedError({ code: 'ECONNRESET', syscall: 'read' }), false);
  assert.equal(isNotConnectedError({ code: 'ETIMEDOUT', syscall: 'connect' }), false);
  assert.equal(isNotConnectedError('ECONNREFUSED'), false);
  // A write the kernel refused sent nothing; a reset while reading the answer may come after the cloud acted.
  assert.equal(isNotConnectedError({ code: 'ECONNRESET', syscall: 'write' }), true);
  assert.equal(isNotConnectedError({ code: 'EPIPE', syscall: 'writev' }), true);
  assert.equal(isDroppedConnection({ code: 'EPIPE', syscall: 'write' }), false);
  assert.equal(isDroppedConnection({ code: 'ECONNRESET', syscall: 'read' }), true);
  assert.equal(saysNotConnected('request to http://x/ failed, reason: write EPIPE'), true);
  assert.equal(saysNotConnected('request to http://x/ failed, reason: read ECONNRESET'), false);
  assert.equal(
    saysNotConnected('request to http://x/ failed, reason: connect ECONNREFUSED 127.0.0.1:9'),
    true,
  );
  assert.equal(saysNotConnected('request to http://x/ failed, reason: getaddrinfo ENOTFOUND x'), true);
  assert.equal(saysNotConnected('request to http://x/ failed, reason: socket hang up'), false);
  assert.equal(saysNotConnected('network timeout at: http://x/'), false);
});

test('regional clients are made once per region and all closed together', () => {
  const made: string[] = [];
  const closed: string[] = [];
  const clients = new RegionalClients(
    (region) => {
      made.push(region);
      return { region };
    },
    (client) => closed.push(client.region),
  );
  const first = clients.get('us-east-1');
  assert.equal(clients.get('us-east-1'), first);
  clients.get('us-west-2');
  assert.deepEqual(made, ['us-east-1', 'us-west-2']);
  assert.deepEqual(clients.regions, ['us-east-1', 'us-west-2']);
  clients.closeAll();
  assert.deepEqual(closed, ['us-east-1', 'us-west-2']);
  assert.deepEqual(clients.regions, []);
});
