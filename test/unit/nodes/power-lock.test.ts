// Stop, start and restart share the node's Lease, on the in-memory cluster and the simulated cloud: while a stop's
// cloud call is under way, a restart (or another power action) of the node is 409 naming the stop, and once it is
// answered the node is free again, with its latest restart record as it was.
import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import type { PowerOptions } from '../../../src/nodes/power/power-options.js';
import type { RestartOptions } from '../../../src/restarts/request/restart-options.js';
import { ADMIN, inMemoryRestarts } from '../../support/in-memory/in-memory-restarts.js';

Logger.overrideLogger(false);

beforeEach(() => mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-12-07T10:00:00Z') }));
afterEach(() => mock.timers.reset());

const RESTART: RestartOptions = { dryRun: false, allowControlPlane: false };
const STOP: PowerOptions = { action: 'Stop', mode: 'Soft', dryRun: false, allowControlPlane: false };
const START: PowerOptions = { action: 'Start', dryRun: false, allowControlPlane: false };

/** A 409 Conflict whose message names what holds the node. */
const conflictNaming = (what: RegExp) => (err: { status?: { code: number; message: string } }) => {
  assert.equal(err.status?.code, 409);
  assert.match(err.status.message, what);
  return true;
};

test('a restart asked for while a stop waits on the cloud is 409 naming the stop, and reboots nothing', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  const finishStop = r.holdStops();
  const stopping = r.power.act('n1', STOP, ADMIN);
  await new Promise((resolve) => setImmediate(resolve)); // the stop holds the node and waits on the cloud

  await assert.rejects(r.service.restart('n1', RESTART, ADMIN), conflictNaming(/^.*stop .* is in progress/));
  await assert.rejects(r.power.act('n1', START, ADMIN), conflictNaming(/stop .* \(requested by admin at/));
  assert.equal(r.reboots('n1'), 0);
  assert.equal(r.store.latest('n1'), undefined, 'no restart was recorded');

  finishStop();
  const stopped = await stopping;
  assert.match(stopped.status.message, /stop/i);
  assert.deepEqual(r.leases.names(), [], 'the hold is gone with the Lease it needed');
});

test('a power action holds beside the last restart record and leaves it as it was', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  const restarted = await r.service.restart('n1', RESTART, ADMIN);
  r.nodes.rebooted('n1');
  await r.follower.kick();
  mock.timers.tick(300_000); // the simulated VM has finished its reboot

  const finishStop = r.holdStops();
  const stopping = r.power.act('n1', STOP, ADMIN);
  await new Promise((resolve) => setImmediate(resolve));
  await assert.rejects(r.service.restart('n1', RESTART, ADMIN), conflictNaming(/stop .* is in progress/));
  finishStop();
  await stopping;

  const kept = r.store.latest('n1')!;
  assert.deepEqual([kept.id, kept.phase], [restarted.status.operationID, 'Succeeded']);
  assert.deepEqual(r.leases.names(), ['restart-n1']);
  assert.equal(r.reboots('n1'), 1);
});

test('a stop during a restart is 409 naming the restart; a hold of a replica that died expires', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  const restarted = await r.service.restart('n1', RESTART, ADMIN);
  await assert.rejects(
    r.power.act('n1', STOP, ADMIN),
    conflictNaming(new RegExp(`restart ${restarted.status.operationID} .* is in progress`)),
  );

  const r2 = inMemoryRestarts();
  r2.nodes.add({ name: 'n2' });
  const now = Date.now();
  const hold = { id: 'h1', action: 'Stop', requestedBy: 'gone', startedAt: '', expiresAt: '' };
  await r2.store.hold('n2', { ...hold, expiresAt: new Date(now + 120_000).toISOString() });
  await assert.rejects(r2.service.restart('n2', RESTART, ADMIN), conflictNaming(/stop h1/));
  mock.timers.tick(121_000);
  assert.equal((await r2.service.restart('n2', RESTART, ADMIN)).status.phase, 'RebootRequested');
});
