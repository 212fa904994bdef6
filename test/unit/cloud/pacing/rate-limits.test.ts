import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from '../../../../src/cloud/pacing/token-bucket.js';
import {
  cloudFailure,
  gaps,
  isolateCloudEnvironment,
  tencentTarget,
  awsTarget,
} from '../providers/helpers.js';
import { cvmId, ec2Id, pacedCvm, pacedEc2 } from './paced-clouds.js';

isolateCloudEnvironment();

const stop = { mode: 'SoftFirst', dryRun: false } as const;
const range = (count: number) => Array.from({ length: count }, (_, n) => n + 1);

test('a token bucket serves its burst at once, then one token per 1/rate seconds, in order', () => {
  let now = 0;
  const bucket = new TokenBucket({ perSecond: 10, burst: 2 }, () => now);
  assert.deepEqual(
    [bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()],
    [0, 0, 100, 200],
  );
  now = 1000;
  assert.deepEqual([bucket.reserve(), bucket.reserve(), bucket.reserve()], [0, 0, 100]);
  bucket.release();
  assert.equal(bucket.reserve(), 100);
});

test("Tencent's 10 requests a second: the 11th and 12th StopInstances wait for the refill", async (t) => {
  const { cvm, tencent } = await pacedCvm(t, 12);
  const started = Date.now();
  await Promise.all(range(12).map((n) => tencent.stop!(tencentTarget(cvmId(n)), stop)));
  const sent = cvm.callsTo('StopInstances').map((c) => c.at.getTime() - started);
  assert.equal(sent.length, 12);
  assert.ok(sent[10]! >= 90, `the 11th after ~100 ms: ${sent.join(', ')} ms`);
  assert.ok(sent[11]! >= 190, `the 12th after ~200 ms: ${sent.join(', ')} ms`);
});

test('regions have their own buckets', async (t) => {
  const { cvm, tencent } = await pacedCvm(t, 1, { rates: { StopInstances: { perSecond: 1, burst: 1 } } });
  cvm.addInstance({ instanceId: 'ins-5hanghai', region: 'ap-shanghai', zone: 'ap-shanghai-2' });
  const started = performance.now();
  await Promise.all([
    tencent.stop!(tencentTarget(cvmId(1)), stop),
    tencent.stop!(tencentTarget('ins-5hanghai', 'ap-shanghai'), stop),
  ]);
  assert.ok(performance.now() - started < 800);
});

test('a call whose turn would come too late for its budget is Throttled, and the cloud is not asked', async (t) => {
  const { ec2, aws } = await pacedEc2(t, 2, {
    timeoutMs: 1000,
    rates: { StopInstances: { perSecond: 1, burst: 1 } },
  });
  await aws.stop!(awsTarget(ec2Id(1)), stop);
  const started = performance.now();
  const error = await cloudFailure(
    aws.stop!(awsTarget(ec2Id(2)), stop),
    'Throttled',
    /StopInstances for i-0c0+2 in us-east-1 was not sent: .* 1 StopInstances requests a second .*the cloud was not asked/,
  );
  assert.ok(performance.now() - started < 200, 'refused at once, not after waiting');
  assert.equal(error.status.code, 429);
  assert.ok((error.retryAfterSeconds ?? 0) >= 1);
  assert.equal(ec2.callsTo('StopInstances').length, 1);
  assert.equal(ec2.instance(ec2Id(2))?.state, 'running');
});

test('a wait within the budget is waited out; the dry run is not paced', async (t) => {
  const { ec2, aws } = await pacedEc2(t, 2, {
    timeoutMs: 2000,
    rates: { StartInstances: { perSecond: 4, burst: 1 } },
  });
  for (const n of range(2)) ec2.setInstanceState(ec2Id(n), 'stopped');
  await aws.start!(awsTarget(ec2Id(1)), { dryRun: true });
  await Promise.all(range(2).map((n) => aws.start!(awsTarget(ec2Id(n)), { dryRun: false })));
  const sent = ec2.callsTo('StartInstances').filter((c) => c.params['DryRun'] === undefined);
  assert.equal(sent.length, 2);
  assert.ok(gaps(sent.map((c) => c.at))[0]! >= 200, 'the second start waited for its turn');
});

test('reboot batches are paced too: each batch is one request', async (t) => {
  const { cvm, tencent } = await pacedCvm(t, 3, {
    batchWindowMs: 5,
    rates: { RebootInstances: { perSecond: 5, burst: 1 } },
  });
  const modes = ['Soft', 'Hard', 'SoftFirst'] as const;
  await Promise.all(
    range(3).map((n) => tencent.reboot(tencentTarget(cvmId(n)), { mode: modes[n - 1]!, dryRun: false })),
  );
  const times = cvm.callsTo('RebootInstances').map((c) => c.at);
  assert.equal(times.length, 3);
  assert.ok(
    gaps(times).every((gap) => gap >= 150),
    `about 200 ms apart: ${gaps(times).join(', ')}`,
  );
});
