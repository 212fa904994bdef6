// RestartBatchService and BatchRunner on an in-memory cluster and the simulated cloud: a batch restarts its nodes
// maxUnavailable at a time, each through the single-node restart path, budgets included.
import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { ADMIN, inMemoryRestarts } from '../../../support/in-memory/in-memory-restarts.js';

Logger.overrideLogger(false);

beforeEach(() => mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-12-07T10:00:00Z') }));
afterEach(() => mock.timers.reset());

type Restarts = ReturnType<typeof inMemoryRestarts>;

function withPool(r: Restarts, names: string[]): void {
  for (const name of names) r.nodes.add({ name, labels: { pool: 'batch' } });
  r.nodes.add({ name: 'other' });
}

const create = (r: Restarts, maxUnavailable: number) =>
  r.batchService.create(
    { metadata: { name: 'b1' }, spec: { labelSelector: 'pool=batch', maxUnavailable } },
    ADMIN,
    { dryRun: false, fieldValidation: 'Strict' },
    () => {},
  );

const phases = (r: Restarts) =>
  Object.fromEntries(r.batchService.get('b1').status.nodes.map((n) => [n.name, n.phase]));

/**
 * A pass of the batch runner to its end, and the one queued meanwhile (creating a batch kicks one): every in-memory
 * call settles within microtasks, so one turn of the event loop ends them.
 */
async function runBatches(r: Restarts): Promise<void> {
  await r.batchRunner.kick();
  await new Promise((resolve) => setImmediate(resolve));
}

/** The kubelets of every restarting node report a new boot; the follower, then the batch runner, move on. */
async function comeBack(r: Restarts, names: string[]): Promise<void> {
  for (const name of names) r.nodes.rebooted(name);
  await r.follower.kick();
  await runBatches(r);
}

test('maxUnavailable at a time: the next node starts only once one has come back', async () => {
  const r = inMemoryRestarts();
  withPool(r, ['a', 'b', 'c']);

  const created = await create(r, 2);
  assert.equal(created.status.phase, 'Running');
  assert.equal(created.status.message, '3 nodes: 3 Pending; at most 2 at a time');
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Restarting', b: 'Restarting', c: 'Pending' });
  assert.deepEqual(['a', 'b', 'c', 'other'].map(r.reboots), [1, 1, 0, 0]);
  assert.equal(r.store.latest('a')!.reason, 'restart batch b1');

  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Restarting', b: 'Restarting', c: 'Pending' }, 'no room yet');
  await comeBack(r, ['a']);
  assert.deepEqual(phases(r), { a: 'Succeeded', b: 'Restarting', c: 'Restarting' });
  await comeBack(r, ['b', 'c']);
  const done = r.batchService.get('b1');
  assert.equal(done.status.phase, 'Succeeded');
  assert.equal(done.status.message, '3 nodes: 3 Succeeded; at most 2 at a time');
  assert.deepEqual(['a', 'b', 'c', 'other'].map(r.reboots), [1, 1, 1, 0]);
});

test('a budget refusal leaves the node Pending for later; any other refusal fails it, and the batch', async () => {
  const r = inMemoryRestarts({ maxConcurrentRestarts: 1 });
  withPool(r, ['a', 'b']);
  r.nodes.add({ name: 'c', labels: { pool: 'batch', 'infraops.michael.io/restart': 'disabled' } });

  await create(r, 3);
  await runBatches(r);
  const nodes = r.batchService.get('b1').status.nodes;
  assert.deepEqual(phases(r), { a: 'Restarting', b: 'Pending', c: 'Failed' });
  assert.match(nodes[1]!.message!, /^429 TooManyRequests: too many restarts in progress/);
  assert.match(nodes[2]!.message!, /^403 Forbidden: .*disabled by its label/);

  await comeBack(r, ['a']);
  assert.deepEqual(phases(r), { a: 'Succeeded', b: 'Restarting', c: 'Failed' });
  await comeBack(r, ['b']);
  assert.equal(r.batchService.get('b1').status.phase, 'Failed');
  assert.deepEqual(['a', 'b', 'c'].map(r.reboots), [1, 1, 0]);
});

test('a name in use is 409 AlreadyExists; a dry run records nothing', async () => {
  const r = inMemoryRestarts();
  withPool(r, ['a']);
  const dry = await r.batchService.create(
    { metadata: { name: 'b1' }, spec: { labelSelector: 'pool=batch' } },
    ADMIN,
    { dryRun: true, fieldValidation: 'Strict' },
    () => {},
  );
  assert.equal(dry.status.phase, 'Running');
  assert.deepEqual(r.leases.names(), []);
  await create(r, 1);
  await assert.rejects(create(r, 1), (err: { status: { code: number; reason: string } }) => {
    assert.equal(err.status.code, 409);
    assert.equal(err.status.reason, 'AlreadyExists');
    return true;
  });
});
