// RestartService, RestartRunner and RestartFollower on an in-memory cluster and the simulated cloud: the request,
// the operation on its Lease, and each step the follower takes as the test plays the kubelet and moves the clock.
import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { StatusError } from '../../../../src/apiserver/status.js';
import { saysOutcomeUnknown } from '../../../../src/cloud/contract/error-status.js';
import { CORDONED_BY_ANNOTATION } from '../../../../src/restarts/drain/node-drain.js';
import { RESTART_ANNOTATION } from '../../../../src/restarts/operations/restart-annotation.js';
import type { RestartOptions } from '../../../../src/restarts/request/restart-options.js';
import { ADMIN, inMemoryRestarts } from '../../../support/in-memory/in-memory-restarts.js';

Logger.overrideLogger(false);

const T0 = Date.parse('2026-12-07T10:00:00Z');
const RESTART: RestartOptions = { dryRun: false, allowControlPlane: false };
const DRAINED: RestartOptions = { ...RESTART, drain: { timeoutSeconds: 60, onTimeout: 'Fail' } };

beforeEach(() => mock.timers.enable({ apis: ['Date'], now: T0 }));
afterEach(() => mock.timers.reset());

/** The StatusError a call failed with. */
async function refusal(call: Promise<unknown>): Promise<StatusError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  assert.fail('expected a StatusError');
}

const phaseOf = (r: ReturnType<typeof inMemoryRestarts>, node: string) => r.store.latest(node)?.phase;

/** Moves the clock on, lets the follower act, and returns the node's operation, which must have failed. */
async function failedAfter(r: ReturnType<typeof inMemoryRestarts>, node: string, ms: number) {
  mock.timers.tick(ms);
  await r.follower.kick();
  const op = r.store.latest(node)!;
  assert.equal(op.phase, 'Failed');
  return op;
}

test('one operation per node: concurrent requests start one restart, the others are 409 naming it', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });

  const outcomes = await Promise.allSettled(
    Array.from({ length: 5 }, () => r.service.restart('n1', RESTART, ADMIN)),
  );

  const started = outcomes.filter((o) => o.status === 'fulfilled');
  assert.equal(started.length, 1);
  assert.equal(started[0]!.value.status.phase, 'RebootRequested');
  for (const o of outcomes.filter((o) => o.status === 'rejected')) {
    const status = (o.reason as StatusError).status;
    assert.equal(status.code, 409);
    assert.equal(status.reason, 'Conflict');
    assert.match(status.message!, new RegExp(`restart ${started[0]!.value.status.operationID} \\(`));
  }
  assert.equal(r.reboots('n1'), 1);
  const later = await refusal(r.service.restart('n1', RESTART, ADMIN));
  assert.equal(later.status.code, 409);
  assert.deepEqual(r.leases.names(), ['restart-n1']);
});

test('phases: Accepted → RebootRequested → NotReady → Succeeded once the bootID changed and Ready, told as Events', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  const before = r.nodes.bootID('n1');

  const answer = await r.service.restart('n1', { ...RESTART, reason: 'kernel update' }, ADMIN);
  assert.equal(answer.status.phase, 'RebootRequested');
  assert.equal(answer.status.previousBootID, before);
  assert.match(answer.status.requestID!, /^sim-/);

  await r.follower.kick();
  assert.equal(phaseOf(r, 'n1'), 'RebootRequested', 'still up on its old boot: nothing changes');
  r.nodes.setReady('n1', false);
  await r.follower.kick();
  assert.equal(phaseOf(r, 'n1'), 'NotReady');
  r.nodes.setReady('n1', true);
  await r.follower.kick();
  assert.equal(phaseOf(r, 'n1'), 'NotReady', 'Ready on the old bootID is not a reboot');
  r.nodes.rebooted('n1');
  await r.follower.kick();
  assert.equal(phaseOf(r, 'n1'), 'Succeeded');

  assert.deepEqual(r.events.reasons('n1'), [
    'RestartRequested',
    'RestartRebootRequested',
    'RestartNotReady',
    'RestartSucceeded',
  ]);
  assert.match(
    r.events.events[0]!.message,
    /restart requested by admin \(reason: kernel update\), mode SoftFirst/,
  );
  const mark = JSON.parse(r.nodes.get('n1')!.metadata!.annotations![RESTART_ANNOTATION]!) as {
    phase: string;
  };
  assert.equal(mark.phase, 'Succeeded');
  assert.equal(r.reboots('n1'), 1);
  // A finished restart no longer holds the node.
  mock.timers.tick(10_000);
  assert.equal((await r.service.restart('n1', RESTART, ADMIN)).status.phase, 'RebootRequested');
  assert.equal(r.reboots('n1'), 2);
});

test('Failed at the deadline when the node does not come back, and not before', async () => {
  const r = inMemoryRestarts({ restartTimeout: 120_000 });
  r.nodes.add({ name: 'n1' });
  await r.service.restart('n1', RESTART, ADMIN);
  r.nodes.setReady('n1', false);

  mock.timers.tick(119_000);
  await r.follower.kick();
  assert.equal(phaseOf(r, 'n1'), 'NotReady');
  mock.timers.tick(2_000);
  await r.follower.kick();

  const op = r.store.latest('n1')!;
  assert.equal(op.phase, 'Failed');
  assert.match(op.message, /^node n1 did not come back \(not Ready\) by 2026-12-07T10:02:00Z, 121s after/);
  assert.deepEqual(r.events.events.at(-1), {
    node: 'n1',
    type: 'Warning',
    reason: 'RestartFailed',
    message: `${op.message} (restart ${op.id})`,
  });
});

test('a node deleted while restarting fails its restart', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  await r.service.restart('n1', RESTART, ADMIN);
  r.nodes.remove('n1');
  await r.follower.kick();
  assert.equal(phaseOf(r, 'n1'), 'Failed');
  assert.equal(r.store.latest('n1')!.message, 'node n1 was deleted while restarting');
});

test('drain: cordon, evictions past a PodDisruptionBudget once it allows, reboot, then uncordon what it cordoned', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  r.pods.add({ name: 'web-1', node: 'n1' });
  r.pods.add({ name: 'db-0', node: 'n1' });
  r.pods.add({ name: 'agent', node: 'n1', namespace: 'kube-system', ownerKind: 'DaemonSet' });
  r.pods.add({ name: 'etcd-n1', node: 'n1', namespace: 'kube-system', mirror: true });
  r.pods.add({ name: 'web-2', node: 'n2' });
  r.pods.hold('default/db-0', 'db');

  const answer = await r.service.restart('n1', DRAINED, ADMIN);
  // The request cordons and asks for the first evictions, so its answer says what holds the drain.
  assert.equal(answer.status.phase, 'Draining');
  assert.equal(
    answer.status.message,
    "draining node n1: 2 pods left (default/web-1, default/db-0); eviction of default/db-0 refused: Cannot evict pod as it would violate the pod's disruption budget: The disruption budget db needs 1 healthy pods and has 1 currently",
  );
  const cordoned = r.nodes.get('n1')!;
  assert.equal(cordoned.spec!.unschedulable, true);
  assert.equal(cordoned.metadata!.annotations![CORDONED_BY_ANNOTATION], answer.status.operationID);
  assert.deepEqual(r.pods.on('n1'), ['default/db-0', 'kube-system/agent', 'kube-system/etcd-n1']);
  assert.equal(r.reboots('n1'), 0);

  // The replicas retry every two seconds, not sooner.
  r.pods.hold('default/db-0', undefined);
  await r.follower.kick();
  assert.equal(phaseOf(r, 'n1'), 'Draining');
  mock.timers.tick(2_000);
  await r.follower.kick();
  assert.equal(
    r.store.latest('n1')!.message,
    'draining node n1: 1 pod left (default/db-0)',
    'evicted, not gone yet',
  );
  mock.timers.tick(2_000);
  await r.follower.kick();
  assert.equal(phaseOf(r, 'n1'), 'RebootRequested');
  assert.deepEqual(
    r.pods.on('n1'),
    ['kube-system/agent', 'kube-system/etcd-n1'],
    'DaemonSet and mirror pods stay',
  );
  assert.equal(r.reboots('n1'), 1);
  assert.equal(r.nodes.get('n1')!.spec!.unschedulable, true, 'cordoned until the node is back');

  r.nodes.rebooted('n1');
  await r.follower.kick(); // Ready
  await r.follower.kick(); // Uncordoned, Succeeded
  assert.equal(phaseOf(r, 'n1'), 'Succeeded');
  const back = r.nodes.get('n1')!;
  assert.equal(back.spec!.unschedulable, undefined);
  assert.equal(back.metadata!.annotations![CORDONED_BY_ANNOTATION], undefined);
  assert.deepEqual(r.events.reasons('n1'), [
    'RestartRequested',
    'RestartCordoned',
    'RestartDraining', // refused
    'RestartDraining', // 1 pod left
    'RestartDraining', // drained: the reboot claimed
    'RestartRebootRequested',
    'RestartReady',
    'RestartUncordoned',
    'RestartSucceeded',
  ]);
  assert.equal(r.events.events.filter((e) => e.type === 'Warning').length, 1, 'the refused eviction');
});

test('drain: a node someone else cordoned stays cordoned', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1', unschedulable: true });

  const answer = await r.service.restart('n1', DRAINED, ADMIN);
  assert.equal(answer.status.phase, 'RebootRequested');
  assert.equal(r.store.latest('n1')!.cordoned, false);
  r.nodes.rebooted('n1');
  await r.follower.kick();

  assert.equal(phaseOf(r, 'n1'), 'Succeeded');
  assert.equal(r.nodes.get('n1')!.spec!.unschedulable, true);
  assert.equal(r.nodes.get('n1')!.metadata!.annotations![CORDONED_BY_ANNOTATION], undefined);
  assert.match(r.events.events.find((e) => e.reason === 'RestartCordoned')!.message, /unschedulable already/);
});

test('drain: onTimeout Fail lifts its cordon and restarts nothing; a dry run only asks the Eviction API', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  r.pods.add({ name: 'db-0', node: 'n1' });
  r.pods.hold('default/db-0', 'db');

  const dry = await r.service.restart('n1', { ...DRAINED, dryRun: true }, ADMIN);
  assert.equal(dry.status.phase, 'DryRun');
  assert.deepEqual(dry.status.checks![0], {
    name: 'Drain',
    detail: `would evict 1 pod left (default/db-0); eviction of default/db-0 refused: Cannot evict pod as it would violate the pod's disruption budget: The disruption budget db needs 1 healthy pods and has 1 currently`,
  });
  assert.deepEqual(r.pods.evictions, [{ pod: 'default/db-0', dryRun: true }]);
  assert.deepEqual(r.leases.names(), [], 'a dry run writes nothing');
  assert.equal(r.nodes.patches.applied, 0);

  await r.service.restart('n1', DRAINED, ADMIN);
  const op = await failedAfter(r, 'n1', 61_000);
  assert.match(
    op.message,
    /did not finish within 60s: .*nothing was restarted \(onTimeout: Fail\); node n1 uncordoned$/,
  );
  assert.equal(r.nodes.get('n1')!.spec!.unschedulable, undefined);
  assert.equal(r.reboots('n1'), 0);
});

test('drain: a reboot the cloud may have carried out keeps the cordon and says why; one it refused lifts it', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  r.nodes.add({ name: 'n2' });
  r.cloud.injectFailure({ kind: 'Unavailable', action: 'reboot', instanceId: 'sim-n1' });
  r.cloud.injectFailure({
    kind: 'Unavailable',
    action: 'reboot',
    instanceId: 'sim-n2',
    outcome: 'not-acted',
  });

  const unknown = await refusal(r.service.restart('n1', DRAINED, ADMIN));
  assert.equal(unknown.status.code, 503);
  assert.ok(saysOutcomeUnknown(unknown.status));
  const kept = r.store.latest('n1')!;
  assert.equal(kept.phase, 'Failed');
  assert.match(
    kept.message,
    /; node n1 stays cordoned, as the cloud may have rebooted it: .*kubectl uncordon n1\)$/,
  );
  assert.equal(r.nodes.get('n1')!.spec!.unschedulable, true);
  assert.equal(r.events.events.at(-1)!.message, `${kept.message} (restart ${kept.id})`);

  const refused = await refusal(r.service.restart('n2', DRAINED, ADMIN));
  assert.equal(refused.status.code, 503);
  assert.ok(!saysOutcomeUnknown(refused.status));
  assert.match(r.store.latest('n2')!.message, /; node n2 uncordoned$/);
  assert.equal(r.nodes.get('n2')!.spec!.unschedulable, undefined);
});

test('drain: a node that does not come back by the deadline stays cordoned, and the failure says why', async () => {
  const r = inMemoryRestarts({ restartTimeout: 120_000 });
  r.nodes.add({ name: 'n1' });
  assert.equal((await r.service.restart('n1', DRAINED, ADMIN)).status.phase, 'RebootRequested');
  r.nodes.setReady('n1', false);
  const op = await failedAfter(r, 'n1', 121_000);
  assert.match(
    op.message,
    /^node n1 did not come back .*; node n1 stays cordoned, as the cloud may have rebooted it/,
  );
  assert.equal(r.nodes.get('n1')!.spec!.unschedulable, true);
});

test('budget: over --max-concurrent-restarts is a 429 naming the restarts in progress; a finished one frees its slot', async () => {
  const r = inMemoryRestarts({ maxConcurrentRestarts: 1 });
  for (const name of ['n1', 'n2']) r.nodes.add({ name });
  await r.service.restart('n1', RESTART, ADMIN);

  const refused = await refusal(r.service.restart('n2', RESTART, ADMIN));
  assert.equal(refused.status.code, 429);
  assert.equal(refused.status.reason, 'TooManyRequests');
  assert.equal(
    refused.status.message,
    'too many restarts in progress: at most 1 at once (--max-concurrent-restarts); restarting now: n1',
  );
  assert.deepEqual(refused.status.details?.causes, [
    { reason: 'RestartBudget', message: refused.status.message },
  ]);
  assert.equal(phaseOf(r, 'n2'), undefined, 'back-pressure leaves no record');
  assert.ok(!r.leases.names().includes('restart-n2'));
  assert.equal(r.reboots('n2'), 0);

  r.nodes.rebooted('n1');
  await r.follower.kick();
  assert.equal((await r.service.restart('n2', RESTART, ADMIN)).status.phase, 'RebootRequested');
  assert.equal(r.reboots('n2'), 1);
});

test("a 429 keeps the node's last restart: its record, its annotation, no Event and no slot held", async () => {
  const r = inMemoryRestarts({ maxConcurrentRestarts: 1 });
  for (const name of ['n1', 'n2']) r.nodes.add({ name });
  const first = await r.service.restart('n2', RESTART, ADMIN);
  r.nodes.rebooted('n2');
  await r.follower.kick();
  assert.equal(phaseOf(r, 'n2'), 'Succeeded');
  const mark = () => r.nodes.get('n2')!.metadata!.annotations![RESTART_ANNOTATION];
  const [markBefore, eventsBefore] = [mark(), r.events.reasons('n2')];

  await r.service.restart('n1', RESTART, ADMIN);
  const refused = await refusal(r.service.restart('n2', RESTART, ADMIN));
  assert.equal(refused.status.code, 429);
  const kept = r.store.latest('n2')!;
  assert.deepEqual([kept.id, kept.phase], [first.status.operationID, 'Succeeded']);
  assert.equal(mark(), markBefore);
  assert.deepEqual(r.events.reasons('n2'), eventsBefore);
  assert.equal(r.service.status('n2').status.operationID, first.status.operationID);

  // The slot the refused restart may have taken is not held: once n1 is back, n2 restarts.
  r.nodes.rebooted('n1');
  await r.follower.kick();
  mock.timers.tick(300_000); // the simulated VM n2 has finished its own reboot
  assert.equal((await r.service.restart('n2', RESTART, ADMIN)).status.phase, 'RebootRequested');
});

test('a cloud refusal fails the operation and answers its Status; nothing holds the node afterwards', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  r.cloud.injectFailure({ kind: 'InvalidState', action: 'reboot' });

  const refused = await refusal(r.service.restart('n1', RESTART, ADMIN));
  assert.equal(refused.status.code, 409);
  assert.match(refused.status.message!, /^restart of node n1: simulated InvalidState failure/);
  assert.equal(phaseOf(r, 'n1'), 'Failed');
  assert.equal((await r.service.restart('n1', RESTART, ADMIN)).status.phase, 'RebootRequested');
});

test('cancel: a drained restart is cancelled before its reboot, and lifts only its own cordon', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  r.nodes.add({ name: 'n2', unschedulable: true });
  for (const node of ['n1', 'n2']) {
    r.pods.add({ name: `db-${node}`, node });
    r.pods.hold(`default/db-${node}`, 'db');
  }
  await r.service.restart('n1', DRAINED, ADMIN);
  await r.service.restart('n2', DRAINED, ADMIN);
  assert.deepEqual([phaseOf(r, 'n1'), phaseOf(r, 'n2')], ['Draining', 'Draining']);

  for (const node of ['n1', 'n2']) {
    const cancelled = await r.service.cancel(node, ADMIN);
    assert.equal(cancelled.status.phase, 'Cancelled');
    assert.match(cancelled.status.message, /^cancelled by admin before its reboot/);
  }
  assert.equal(r.nodes.get('n1')!.spec!.unschedulable, undefined, 'its own cordon lifted');
  assert.equal(r.nodes.get('n2')!.spec!.unschedulable, true, "someone else's cordon kept");
  assert.deepEqual([r.reboots('n1'), r.reboots('n2')], [0, 0]);
  assert.ok(r.events.reasons('n1').includes('RestartCancelled'));
  const none = await refusal(r.service.cancel('n1', ADMIN));
  assert.deepEqual([none.status.code, none.status.message], [404, 'no restart of node n1 is running']);
});

test('cancel: once the cloud has been asked, a cancel is 409 and the restart goes on', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  const started = await r.service.restart('n1', RESTART, ADMIN);
  const late = await refusal(r.service.cancel('n1', ADMIN));
  assert.equal(late.status.code, 409);
  assert.match(
    late.status.message!,
    new RegExp(`restart ${started.status.operationID} \\(RebootRequested\\)`),
  );
  assert.equal(phaseOf(r, 'n1'), 'RebootRequested');
});

test('cancel: a restart still waiting for its turn at the cloud ends Cancelled, and the cloud is never asked', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' });
  const release = r.holdReboots();
  const request = r.service.restart('n1', RESTART, ADMIN);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(phaseOf(r, 'n1'), 'Accepted');

  const cancelled = await r.service.cancel('n1', ADMIN);
  assert.equal(cancelled.status.phase, 'Cancelled');
  release();
  const answered = await request;
  assert.equal(answered.status.phase, 'Cancelled');
  assert.equal(r.reboots('n1'), 0);
  assert.equal(phaseOf(r, 'n1'), 'Cancelled');
  assert.equal((await r.service.restart('n1', RESTART, ADMIN)).status.phase, 'RebootRequested');
  assert.equal(r.reboots('n1'), 1);
});

test('cancel: a drained restart waiting for its turn at the cloud lifts its cordon, and reboots nothing', async () => {
  const r = inMemoryRestarts();
  r.nodes.add({ name: 'n1' }); // no pod to evict: drained at once
  const release = r.holdReboots();
  const request = r.service.restart('n1', DRAINED, ADMIN);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(r.nodes.get('n1')!.spec!.unschedulable, true);
  assert.ok(r.store.latest('n1')!.rebootingSince, 'drained, and waiting for its turn');

  const cancelled = await r.service.cancel('n1', ADMIN);
  assert.equal(cancelled.status.phase, 'Cancelled');
  release();
  await request;
  assert.equal(r.reboots('n1'), 0);
  assert.equal(r.nodes.get('n1')!.spec!.unschedulable, undefined, 'its own cordon lifted');
});
