// RestartBatchService and BatchRunner on an in-memory cluster and the simulated cloud: a batch restarts its nodes
// maxUnavailable at a time, each through the single-node restart path, budgets included; nodes down for any reason
// count against maxUnavailable, and more failures than maxFailures halt the batch.
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

const create = (r: Restarts, maxUnavailable: number, maxFailures?: number) =>
  r.batchService.create(
    { metadata: { name: 'b1' }, spec: { labelSelector: 'pool=batch', maxUnavailable, maxFailures } },
    ADMIN,
    { dryRun: false, fieldValidation: 'Strict' },
    () => {},
  );

const phases = (r: Restarts) =>
  Object.fromEntries(r.batchService.reads.get('b1').status.nodes.map((n) => [n.name, n.phase]));

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
  const done = r.batchService.reads.get('b1');
  assert.equal(done.status.phase, 'Succeeded');
  assert.equal(done.status.message, '3 nodes: 3 Succeeded; at most 2 at a time');
  assert.deepEqual(['a', 'b', 'c', 'other'].map(r.reboots), [1, 1, 1, 0]);
});

test('a budget refusal leaves the node Pending for later; any other refusal fails it, and the batch', async () => {
  const r = inMemoryRestarts({ maxConcurrentRestarts: 1 });
  withPool(r, ['a', 'b']);
  r.nodes.add({ name: 'c', labels: { pool: 'batch', 'infraops.michael.io/restart': 'disabled' } });

  await create(r, 3, 1);
  await runBatches(r);
  const nodes = r.batchService.reads.get('b1').status.nodes;
  assert.deepEqual(phases(r), { a: 'Restarting', b: 'Pending', c: 'Failed' });
  assert.match(nodes[1]!.message!, /^429 TooManyRequests: too many restarts in progress/);
  assert.match(nodes[2]!.message!, /^403 Forbidden: .*disabled by its label/);

  await comeBack(r, ['a']);
  assert.deepEqual(phases(r), { a: 'Succeeded', b: 'Restarting', c: 'Failed' });
  await comeBack(r, ['b']);
  assert.equal(r.batchService.reads.get('b1').status.phase, 'Failed');
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

/** The node went down with the reboot and never came back: its restart fails at its deadline. */
async function neverBack(r: Restarts, name: string): Promise<void> {
  r.nodes.setReady(name, false);
  await r.follower.kick();
  mock.timers.tick(r.options.restartTimeout + 1000);
  await r.follower.kick();
  await runBatches(r);
}

test('a failed node that is still down holds its place in maxUnavailable until it is Ready again', async () => {
  const r = inMemoryRestarts();
  withPool(r, ['a', 'b']);
  await create(r, 1, 1);
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Restarting', b: 'Pending' });

  await neverBack(r, 'a');
  assert.deepEqual(phases(r), { a: 'Failed', b: 'Pending' }, 'a is down: no room for b');
  assert.deepEqual(['a', 'b'].map(r.reboots), [1, 0]);
  assert.equal(r.batchService.reads.get('b1').status.phase, 'Running');

  r.nodes.setReady('a', true);
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Failed', b: 'Restarting' });
  await comeBack(r, ['b']);
  const done = r.batchService.reads.get('b1');
  assert.equal(done.status.phase, 'Failed');
  assert.equal(done.status.halted, undefined, 'one failure is within maxFailures 1');
});

test('by default the first failure halts the batch: no more nodes start, and it says so', async () => {
  const r = inMemoryRestarts();
  withPool(r, ['a', 'b', 'c']);
  const created = await create(r, 1);
  assert.equal(created.spec.maxFailures, 0);
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Restarting', b: 'Pending', c: 'Pending' });

  await neverBack(r, 'a');
  r.nodes.setReady('a', true); // even once a is back, the batch starts nothing more
  await runBatches(r);
  const halted = r.batchService.reads.get('b1');
  assert.deepEqual(phases(r), { a: 'Failed', b: 'Pending', c: 'Pending' });
  assert.equal(halted.status.phase, 'Failed');
  assert.equal(halted.status.halted, 'halted: 1 failed, more than maxFailures 0; no more nodes are started');
  assert.match(halted.status.message, /1 Failed, 2 Pending; .*; halted: 1 failed/);
  assert.deepEqual(r.events.reasons('a').slice(-1), ['RestartBatchHalted']);
  assert.equal(r.events.reasons('a').filter((reason) => reason === 'RestartBatchHalted').length, 1);
  assert.deepEqual(['a', 'b', 'c'].map(r.reboots), [1, 0, 0]);
});

test('a node NotReady before the batch counts as unavailable, and is restarted first', async () => {
  const r = inMemoryRestarts();
  withPool(r, ['a', 'b', 'c']);
  r.nodes.setReady('c', false);
  await create(r, 1);
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Pending', b: 'Pending', c: 'Restarting' });
  await comeBack(r, ['c']);
  assert.deepEqual(phases(r), { a: 'Restarting', b: 'Pending', c: 'Succeeded' });

  // Another node of the batch going down takes the room of the next one.
  r.nodes.setReady('b', false);
  await comeBack(r, ['a']);
  assert.deepEqual(phases(r), { a: 'Succeeded', b: 'Restarting', c: 'Succeeded' }, 'b is down: restarted');
  await comeBack(r, ['b']);
  assert.equal(r.batchService.reads.get('b1').status.phase, 'Succeeded');
});

test('two nodes down leave no room with maxUnavailable 1', async () => {
  const r = inMemoryRestarts();
  withPool(r, ['a', 'b', 'c']);
  r.nodes.setReady('b', false);
  r.nodes.setReady('c', false);
  await create(r, 1);
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Pending', b: 'Pending', c: 'Pending' });
  r.nodes.setReady('c', true);
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Pending', b: 'Restarting', c: 'Pending' });
});

test('DELETE stops a batch from starting more nodes; it is gone once its running restart has ended', async () => {
  const r = inMemoryRestarts();
  withPool(r, ['a', 'b', 'c']);
  await create(r, 1);
  await runBatches(r);
  const deleted = await r.batchService.delete('b1', ADMIN);
  assert.equal(deleted.metadata.deletionTimestamp, '2026-12-07T10:00:00Z');
  assert.match(
    deleted.status.halted!,
    /^deleted by admin at 2026-12-07T10:00:00Z; no more nodes are started$/,
  );
  assert.equal((await r.batchService.delete('b1', ADMIN)).status.halted, deleted.status.halted, 'idempotent');

  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Restarting', b: 'Pending', c: 'Pending' }, 'kept while a restarts');
  await comeBack(r, ['a']);
  const notFound = (err: { status: { code: number; reason: string } }) =>
    err.status.code === 404 && err.status.reason === 'NotFound';
  assert.throws(() => r.batchService.reads.get('b1'), notFound);
  assert.ok(!r.leases.names().includes('batch-b1'));
  assert.deepEqual(['a', 'b', 'c'].map(r.reboots), [1, 0, 0]);
  await assert.rejects(r.batchService.delete('b1', ADMIN), notFound);
});

test('a batch starts nodes only inside its maintenance window; a restart running at its end goes on', async () => {
  const r = inMemoryRestarts();
  withPool(r, ['a', 'b']);
  // 10:00 UTC on a Monday; the window opens at 11:00 for an hour.
  const window = { days: ['mon'], startTime: '11:00', endTime: '12:00' };
  const created = await r.batchService.create(
    { metadata: { name: 'b1' }, spec: { labelSelector: 'pool=batch', maintenanceWindow: window } },
    ADMIN,
    { dryRun: false, fieldValidation: 'Strict' },
    () => {},
  );
  assert.deepEqual(created.spec.maintenanceWindow, { ...window, timeZone: 'UTC' });
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Pending', b: 'Pending' }, 'before the window');

  mock.timers.tick(3_600_000);
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Restarting', b: 'Pending' });
  mock.timers.tick(3_600_000); // 12:00: closed, with a still restarting
  await comeBack(r, ['a']);
  assert.deepEqual(phases(r), { a: 'Succeeded', b: 'Pending' }, 'b waits for next Monday');
});

test('a cancelled restart counts as a failed node: by default the batch halts', async () => {
  const r = inMemoryRestarts();
  withPool(r, ['a', 'b']);
  r.pods.add({ name: 'db-a', node: 'a' });
  r.pods.hold('default/db-a', 'db');
  await r.batchService.create(
    {
      metadata: { name: 'b1' },
      spec: { labelSelector: 'pool=batch', maxUnavailable: 1, options: { drain: { timeoutSeconds: 600 } } },
    },
    ADMIN,
    { dryRun: false, fieldValidation: 'Strict' },
    () => {},
  );
  await runBatches(r);
  assert.equal(r.store.latest('a')!.phase, 'Draining');
  assert.equal((await r.service.cancel('a', ADMIN)).status.phase, 'Cancelled');
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Failed', b: 'Pending' });
  assert.equal(r.batchService.reads.get('b1').status.phase, 'Failed');
  assert.deepEqual(['a', 'b'].map(r.reboots), [0, 0]);
});

test('spec.suspend: a suspended batch starts no more nodes and says so; resumed, it goes on', async () => {
  const r = inMemoryRestarts();
  withPool(r, ['a', 'b', 'c']);
  await create(r, 1);
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Restarting', b: 'Pending', c: 'Pending' });

  const patch = (suspend: unknown) =>
    r.batchService.patch(
      'b1',
      { spec: { suspend } },
      ADMIN,
      { dryRun: false, fieldValidation: 'Strict' },
      () => {},
      [],
    );
  const suspended = await patch(true);
  assert.equal(suspended.spec.suspend, true);
  assert.deepEqual(
    suspended.status.conditions?.map((c) => [c.type, c.status, c.reason]),
    [['Suspended', 'True', 'Suspended']],
  );
  assert.match(suspended.status.message, /suspended by admin: no more nodes are started$/);
  assert.deepEqual(r.events.reasons('b').slice(-1), ['RestartBatchSuspended']);
  await comeBack(r, ['a']);
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Succeeded', b: 'Pending', c: 'Pending' });
  assert.equal(r.batchService.reads.get('b1').status.phase, 'Running');
  assert.deepEqual(['a', 'b', 'c'].map(r.reboots), [1, 0, 0]);

  const bad = await patch('yes').then(
    () => assert.fail('a non-boolean suspend is refused'),
    (err: { status: { code: number; message: string } }) => err.status,
  );
  assert.equal(bad.code, 422);
  assert.match(bad.message, /spec\.suspend: Invalid value: "yes": must be true or false/);

  const resumed = await patch(false);
  assert.deepEqual(
    resumed.status.conditions?.map((c) => [c.status, c.reason]),
    [['False', 'Resumed']],
  );
  assert.deepEqual(r.events.reasons('b').slice(-1), ['RestartBatchResumed']);
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Succeeded', b: 'Restarting', c: 'Pending' });
});

test('a batch created suspended starts nothing until resumed', async () => {
  const r = inMemoryRestarts();
  withPool(r, ['a']);
  const created = await r.batchService.create(
    { metadata: { name: 'b1' }, spec: { labelSelector: 'pool=batch', suspend: true } },
    ADMIN,
    { dryRun: false, fieldValidation: 'Strict' },
    () => {},
  );
  assert.equal(created.spec.suspend, true);
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Pending' });
  await r.batchService.patch(
    'b1',
    { spec: { suspend: null } },
    ADMIN,
    { dryRun: false, fieldValidation: 'Strict' },
    () => {},
    [],
  );
  await runBatches(r);
  assert.deepEqual(phases(r), { a: 'Restarting' });
});
