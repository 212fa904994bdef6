// Leader election on an in-memory Lease store that keeps kube-apiserver's rules (a taken name is 409, a stale
// resourceVersion is 409): one of two replicas leads, the other does not while the Lease is renewed, and takes over
// once the leader releases it at shutdown; the record has client-go's fields, its times in MicroTime's form.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { LEADER_LEASE, RepairLeader } from '../../../src/repair/leader-election.js';
import { Revisions } from '../../support/in-memory/api-errors.js';
import { InMemoryLeases } from '../../support/in-memory/in-memory-leases.js';

Logger.overrideLogger(false);
const started: RepairLeader[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((l) => l.onModuleDestroy()));
});

function replica(leases: InMemoryLeases): RepairLeader {
  const leader = new RepairLeader(leases);
  started.push(leader);
  return leader;
}

/** One attempt of each replica, in order (what the 2 s timer does). */
async function round(...replicas: RepairLeader[]): Promise<void> {
  for (const r of replicas)
    await (r as unknown as { tryAcquireOrRenew(): Promise<void> }).tryAcquireOrRenew();
}

test('one replica leads; the other waits while the Lease is renewed, and takes over after a release', async () => {
  const leases = new InMemoryLeases('ns', new Revisions());
  const [a, b] = [replica(leases), replica(leases)];
  let told = 0;
  b.onChange(() => told++);
  await round(a, b);
  assert.deepEqual([a.isLeader(), b.isLeader()], [true, false]);
  const lease = await leases.read(LEADER_LEASE);
  assert.equal(lease?.spec?.holderIdentity, a.identity);
  assert.equal(lease?.spec?.leaseDurationSeconds, 15);
  assert.equal(lease?.spec?.leaseTransitions, 0);
  assert.match(String(lease?.spec?.renewTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  await round(a, b, a, b);
  assert.deepEqual([a.isLeader(), b.isLeader()], [true, false], 'renewed, not taken');
  assert.equal(told, 0);

  await a.onModuleDestroy();
  started.splice(started.indexOf(a), 1);
  assert.equal((await leases.read(LEADER_LEASE))?.spec?.holderIdentity, '');
  await round(b);
  assert.equal(b.isLeader(), true);
  assert.equal(told, 1, 'told once it leads');
  const taken = await leases.read(LEADER_LEASE);
  assert.equal(taken?.spec?.holderIdentity, b.identity);
  assert.equal(taken?.spec?.leaseTransitions, 1);
});
