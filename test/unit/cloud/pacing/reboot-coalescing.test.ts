import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudError } from '../../../../src/cloud/contract/error.js';
import { pacedProvider } from '../../../../src/cloud/pacing/paced-provider.js';
import { simulatedPlugin } from '../../../../src/cloud/simulated/index.js';
import { SimulatedProvider } from '../../../../src/cloud/simulated/simulated-provider.js';
import { awsTarget, isolateCloudEnvironment, tencentTarget, UUID } from '../providers/helpers.js';
import { cvmId, ec2Id, pacedCvm, pacedEc2, PACING } from './paced-clouds.js';

isolateCloudEnvironment();

const reboot = { mode: 'SoftFirst', dryRun: false } as const;
const range = (count: number, from = 1) => Array.from({ length: count }, (_, n) => n + from);

test('five reboots in one region at once are one RebootInstances with five ids; each caller gets its id', async (t) => {
  const { ec2, aws } = await pacedEc2(t, 5);
  const results = await Promise.all(range(5).map((n) => aws.reboot(awsTarget(ec2Id(n)), reboot)));
  const calls = ec2.callsTo('RebootInstances');
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0]?.params['InstanceId'], range(5).map(ec2Id));
  const [first] = results;
  assert.match(first?.requestId ?? '', UUID);
  for (const result of results) assert.deepEqual(result, { requestId: first?.requestId, mode: 'SoftFirst' });
  for (const n of range(5)) assert.equal(ec2.instance(ec2Id(n))?.rebootCount, 1);
});

test('a reboot alone is sent alone, and soon', async (t) => {
  const { ec2, aws } = await pacedEc2(t, 1);
  const started = performance.now();
  await aws.reboot(awsTarget(ec2Id(1)), reboot);
  assert.ok(performance.now() - started < 1000);
  assert.deepEqual(ec2.callsTo('RebootInstances')[0]?.params['InstanceId'], [ec2Id(1)]);
});

test('150 Tencent reboots are two calls, of 100 and 50 ids', async (t) => {
  const { cvm, tencent } = await pacedCvm(t, 150);
  const results = await Promise.all(
    range(150).map((n) => tencent.reboot(tencentTarget(cvmId(n)), { mode: 'Hard', dryRun: false })),
  );
  const calls = cvm.callsTo('RebootInstances');
  assert.deepEqual(
    calls.map((c) => [(c.params['InstanceIds'] as string[]).length, c.params['StopType']]),
    [
      [100, 'HARD'],
      [50, 'HARD'],
    ],
  );
  const ids = new Set(results.map((r) => r.requestId));
  assert.equal(ids.size, 2);
  assert.ok(results.every((r) => r.mode === 'Hard'));
  assert.equal(cvm.instance(cvmId(1))?.latestOperationRequestId, results[0]?.requestId);
  assert.equal(cvm.instance(cvmId(150))?.latestOperationRequestId, results[149]?.requestId);
  assert.ok(range(150).every((n) => cvm.instance(cvmId(n))?.rebootCount === 1));
});

test('regions and modes are separate calls', async (t) => {
  const { cvm, tencent } = await pacedCvm(t, 4);
  cvm.addInstance({ instanceId: 'ins-5hanghai', region: 'ap-shanghai', zone: 'ap-shanghai-2' });
  await Promise.all([
    tencent.reboot(tencentTarget(cvmId(1)), { mode: 'Soft', dryRun: false }),
    tencent.reboot(tencentTarget(cvmId(2)), { mode: 'Soft', dryRun: false }),
    tencent.reboot(tencentTarget(cvmId(3)), { mode: 'Hard', dryRun: false }),
    tencent.reboot(tencentTarget('ins-5hanghai', 'ap-shanghai'), { mode: 'Soft', dryRun: false }),
  ]);
  assert.deepEqual(
    cvm
      .callsTo('RebootInstances')
      .map((c) => [c.region, c.params['StopType'], c.params['InstanceIds']])
      .sort(),
    [
      ['ap-guangzhou', 'HARD', [cvmId(3)]],
      ['ap-guangzhou', 'SOFT', [cvmId(1), cvmId(2)]],
      ['ap-shanghai', 'SOFT', ['ins-5hanghai']],
    ],
  );
});

test('an unknown instance in a batch fails alone; the others are rebooted exactly once', async (t) => {
  const { ec2, aws } = await pacedEc2(t, 4);
  const missing = ec2Id(0xdead);
  const outcomes = await Promise.allSettled(
    [1, 2, 0xdead, 3, 4].map((n) => aws.reboot(awsTarget(ec2Id(n)), reboot)),
  );
  const failed = outcomes[2];
  assert.ok(failed?.status === 'rejected' && failed.reason instanceof CloudError);
  assert.equal(failed.reason.kind, 'InstanceNotFound');
  assert.match(failed.reason.message, new RegExp(`EC2 instance ${missing} was not found in us-east-1`));
  assert.doesNotMatch(failed.reason.message, new RegExp(ec2Id(1)));
  const rebooted = outcomes.filter((o) => o.status === 'fulfilled');
  assert.equal(rebooted.length, 4);
  for (const n of range(4)) assert.equal(ec2.instance(ec2Id(n))?.rebootCount, 1);
  assert.deepEqual(
    ec2.callsTo('RebootInstances').map((c) => [c.params['InstanceId'], c.errorCode]),
    [
      [[1, 2, 0xdead, 3, 4].map(ec2Id), 'InvalidInstanceID.NotFound'],
      [[missing], 'InvalidInstanceID.NotFound'],
      [range(4).map(ec2Id), undefined],
    ],
  );
});

test('a CVM batch refused for one stopped instance reboots the others; that one gets its own refusal', async (t) => {
  const { cvm, tencent } = await pacedCvm(t, 5);
  cvm.setInstanceState(cvmId(3), 'STOPPED');
  const outcomes = await Promise.allSettled(
    range(5).map((n) => tencent.reboot(tencentTarget(cvmId(n)), reboot)),
  );
  const stopped = outcomes[2];
  assert.ok(stopped?.status === 'rejected' && stopped.reason instanceof CloudError);
  assert.equal(stopped.reason.kind, 'InvalidState');
  assert.equal(stopped.reason.code, 'UnsupportedOperation.InstanceStateStopped');
  assert.match(
    stopped.reason.message,
    new RegExp(`RebootInstances for ${cvmId(3)} in ap-guangzhou was refused`),
  );
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  );
  assert.deepEqual(
    range(5).map((n) => cvm.instance(cvmId(n))?.rebootCount),
    [1, 1, 0, 1, 1],
  );
  assert.equal(cvm.callsTo('RebootInstances').length, 3);
});

test('a refusal that names no instance is retried in halves until each gets its own answer', async (t) => {
  const { cvm, tencent } = await pacedCvm(t, 4);
  cvm.inject({
    action: 'RebootInstances',
    fault: 'error',
    code: 'OperationDenied.InstanceOperationInProgress',
  });
  const results = await Promise.all(range(4).map((n) => tencent.reboot(tencentTarget(cvmId(n)), reboot)));
  assert.equal(results.length, 4);
  assert.deepEqual(
    cvm.callsTo('RebootInstances').map((c) => (c.params['InstanceIds'] as string[]).length),
    [4, 2, 2],
  );
  assert.ok(range(4).every((n) => cvm.instance(cvmId(n))?.rebootCount === 1));
});

test('a hung batch fails every caller with the unknown-outcome Timeout, and is never sent again', async (t) => {
  const { ec2, aws } = await pacedEc2(t, 3, { timeoutMs: 400 });
  ec2.inject({ action: 'RebootInstances', fault: 'hang', times: Infinity });
  const outcomes = await Promise.allSettled(range(3).map((n) => aws.reboot(awsTarget(ec2Id(n)), reboot)));
  for (const outcome of outcomes) {
    assert.ok(outcome.status === 'rejected' && outcome.reason instanceof CloudError);
    assert.equal(outcome.reason.kind, 'Timeout');
    assert.match(outcome.reason.message, /within 400 ms; whether RebootInstances took effect is unknown/);
    assert.match(outcome.reason.message, new RegExp(range(3).map(ec2Id).join(', ')));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(ec2.callsTo('RebootInstances').length, 1);
});

test('a batch that failed inside the cloud is not repeated either', async (t) => {
  const { cvm, tencent } = await pacedCvm(t, 3);
  cvm.inject({ action: 'RebootInstances', fault: 'internal-error' });
  const outcomes = await Promise.allSettled(
    range(3).map((n) => tencent.reboot(tencentTarget(cvmId(n)), reboot)),
  );
  for (const outcome of outcomes) {
    assert.ok(outcome.status === 'rejected' && outcome.reason instanceof CloudError);
    assert.equal(outcome.reason.kind, 'Unavailable');
    assert.match(outcome.reason.message, /unknown/);
  }
  assert.equal(cvm.callsTo('RebootInstances').length, 1);
});

test('dry runs are sent one by one', async (t) => {
  const { ec2, aws } = await pacedEc2(t, 3);
  await Promise.all(
    range(3).map((n) => aws.reboot(awsTarget(ec2Id(n)), { mode: 'SoftFirst', dryRun: true })),
  );
  const calls = ec2.callsTo('RebootInstances');
  assert.deepEqual(
    calls.map((c) => [c.params['DryRun'], (c.params['InstanceId'] as string[]).length]),
    [
      ['true', 1],
      ['true', 1],
      ['true', 1],
    ],
  );
});

test('a provider without rebootMany gets each reboot as its own call', async (t) => {
  const simulated = new SimulatedProvider({ rebootMs: 60_000 });
  const paced = pacedProvider(simulated, simulatedPlugin, PACING);
  t.after(() => paced.close?.());
  const target = (n: number) => ({ ...awsTarget(`sim-${n}`), cloud: 'simulated' as const, region: 'sim-1' });
  const results = await Promise.all(range(3).map((n) => paced.reboot(target(n), reboot)));
  assert.equal(new Set(results.map((r) => r.requestId)).size, 3);
  assert.ok(range(3).every((n) => simulated.instance(`sim-${n}`)?.rebootCount === 1));
});

test('once their turn comes, callers that withdraw (beforeSending) are left out unsent; each is asked once', async (t) => {
  const { ec2, aws } = await pacedEc2(t, 4);
  const asked: number[] = [];
  const outcomes = await Promise.allSettled(
    [1, 2, 0xdead, 3, 4].map((n) =>
      aws.reboot(awsTarget(ec2Id(n)), {
        ...reboot,
        beforeSending: async () => {
          asked.push(n);
          if (n === 2) throw new Error('cancelled while waiting');
        },
      }),
    ),
  );
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled'],
  );
  assert.deepEqual(
    asked.sort((a, b) => a - b),
    [1, 2, 3, 4, 0xdead],
  );
  assert.deepEqual(
    ec2.callsTo('RebootInstances').map((c) => c.params['InstanceId']),
    [[1, 0xdead, 3, 4].map(ec2Id), [ec2Id(0xdead)], [1, 3, 4].map(ec2Id)],
  );
  assert.deepEqual(
    ec2.executed('RebootInstances').map((e) => e.instanceId),
    [1, 3, 4].map(ec2Id),
  );
});
