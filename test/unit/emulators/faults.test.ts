import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { DescribeInstancesCommand, EC2ServiceException, RebootInstancesCommand } from '@aws-sdk/client-ec2';
import { startEc2Emulator, type Ec2Emulator } from '../../emulators/ec2/ec2-emulator.js';
import { startTencentEmulator, type TencentEmulator } from '../../emulators/tencent/tencent-emulator.js';
import {
  AWS_KEY,
  cvmClient,
  ec2Client,
  isolateSdkEnvironment,
  TENCENT_KEY,
  timed,
  waitFor,
} from './helpers.js';

isolateSdkEnvironment();

const EC2_ID = 'i-0123456789abcdef0';
const CVM_ID = 'ins-r8hr2upy';

type Hooks = { after: (fn: () => Promise<void>) => void };

async function ec2Emulator(t: Hooks): Promise<Ec2Emulator> {
  const ec2 = await startEc2Emulator({
    credentials: { [AWS_KEY.accessKeyId]: AWS_KEY.secretAccessKey },
    instances: [{ instanceId: EC2_ID, region: 'us-east-1' }],
  });
  t.after(() => ec2.stop());
  return ec2;
}

async function tencentEmulator(t: Hooks): Promise<TencentEmulator> {
  const tencent = await startTencentEmulator({
    credentials: { [TENCENT_KEY.secretId]: TENCENT_KEY.secretKey },
    instances: [{ instanceId: CVM_ID, region: 'ap-guangzhou', zone: 'ap-guangzhou-3' }],
    rebootMs: 50,
  });
  t.after(() => tencent.stop());
  return tencent;
}

test('AWS SDK: one injected RequestLimitExceeded is retried by the SDK itself and the call succeeds on attempt 2', async (t) => {
  const ec2 = await ec2Emulator(t);
  const fault = ec2.inject({ fault: 'throttle', action: 'RebootInstances' });
  const out = await ec2Client(ec2).send(new RebootInstancesCommand({ InstanceIds: [EC2_ID] }));
  assert.equal(out.$metadata.attempts, 2);
  assert.equal(fault.remaining, 0);
  const calls = ec2.callsTo('RebootInstances');
  assert.deepEqual(
    calls.map((c) => [c.attempt, c.fault, c.status, c.errorCode]),
    [
      [1, 'throttle', 503, 'RequestLimitExceeded'],
      [2, undefined, 200, undefined],
    ],
  );
  assert.equal(ec2.instance(EC2_ID)?.rebootCount, 1);
});

test('AWS SDK: persistent throttling surfaces RequestLimitExceeded after exactly 3 attempts (default maxAttempts)', async (t) => {
  const ec2 = await ec2Emulator(t);
  ec2.inject({ fault: 'throttle', times: Infinity });
  await assert.rejects(
    ec2Client(ec2).send(new RebootInstancesCommand({ InstanceIds: [EC2_ID] })),
    (err: unknown) => {
      assert.ok(err instanceof EC2ServiceException);
      assert.equal(err.name, 'RequestLimitExceeded');
      assert.equal(err.$fault, 'server');
      assert.equal(err.$metadata.httpStatusCode, 503);
      assert.equal(err.$metadata.attempts, 3);
      return true;
    },
  );
  assert.deepEqual(
    ec2.calls.map((c) => c.attempt),
    [1, 2, 3],
  );
  assert.equal(ec2.instance(EC2_ID)?.rebootCount, 0);
});

test('AWS SDK: InternalError (500) is retried as transient; a custom 400 error code is not retried', async (t) => {
  const ec2 = await ec2Emulator(t);
  ec2.inject({ fault: 'internal-error', times: 3 });
  await assert.rejects(ec2Client(ec2).send(new DescribeInstancesCommand({})), {
    name: 'InternalError',
    $fault: 'server',
  });
  assert.equal(ec2.calls.length, 3);
  ec2.clearCalls();
  ec2.inject({ fault: 'error', code: 'IncorrectState', message: 'busy' });
  await assert.rejects(ec2Client(ec2).send(new DescribeInstancesCommand({})), {
    name: 'IncorrectState',
    message: 'busy',
  });
  assert.equal(ec2.calls.length, 1);
});

test('faults only hit the action they name, and only as many times as asked', async (t) => {
  const ec2 = await ec2Emulator(t);
  const client = ec2Client(ec2, { maxAttempts: 1 });
  const fault = ec2.inject({
    fault: 'error',
    code: 'InternalError',
    httpStatus: 500,
    action: 'RebootInstances',
    times: 2,
  });
  await client.send(new DescribeInstancesCommand({}));
  assert.equal(fault.remaining, 2);
  await assert.rejects(client.send(new RebootInstancesCommand({ InstanceIds: [EC2_ID] })), {
    name: 'InternalError',
  });
  assert.equal(fault.remaining, 1);
  fault.cancel();
  await client.send(new RebootInstancesCommand({ InstanceIds: [EC2_ID] }));
  assert.deepEqual(
    ec2.calls.map((c) => c.fault),
    [undefined, 'error', undefined],
  );
});

test('a delay holds the answer back but still answers', async (t) => {
  const ec2 = await ec2Emulator(t);
  ec2.inject({ fault: 'delay', ms: 250 });
  const elapsed = await timed(() =>
    ec2Client(ec2).send(new RebootInstancesCommand({ InstanceIds: [EC2_ID] })),
  );
  assert.ok(elapsed >= 240, `answered after ${elapsed} ms`);
  assert.equal(ec2.calls[0]?.status, 200);
});

test('AWS SDK: a hang is cut by an abort signal (not retried), and stop() still returns promptly', async (t) => {
  const ec2 = await ec2Emulator(t);
  ec2.inject({ fault: 'hang', times: Infinity });
  await assert.rejects(
    ec2Client(ec2).send(new RebootInstancesCommand({ InstanceIds: [EC2_ID] }), {
      abortSignal: AbortSignal.timeout(200),
    }),
    { name: 'AbortError' },
  );
  assert.equal(ec2.calls.length, 1);
  assert.equal(ec2.calls[0]?.status, undefined);
  assert.ok((await timed(() => ec2.stop())) < 500);
});

test('AWS SDK: requestTimeout with throwOnRequestTimeout gives TimeoutError after 3 attempts', async (t) => {
  const ec2 = await ec2Emulator(t);
  ec2.inject({ fault: 'hang', times: Infinity });
  const client = ec2Client(ec2, { requestHandler: { requestTimeout: 150, throwOnRequestTimeout: true } });
  await assert.rejects(client.send(new RebootInstancesCommand({ InstanceIds: [EC2_ID] })), {
    name: 'TimeoutError',
  });
  assert.deepEqual(
    ec2.calls.map((c) => c.attempt),
    [1, 2, 3],
  );
});

test('stop() destroys a hung connection the client never gave up on', async (t) => {
  const ec2 = await ec2Emulator(t);
  ec2.inject({ fault: 'hang' });
  const pending = ec2Client(ec2, { maxAttempts: 1 }).send(new DescribeInstancesCommand({}));
  const settled = pending.then(
    () => 'resolved',
    (err: Error) => err,
  );
  await waitFor(() => ec2.calls.length === 1, 2000, 'the hung call to arrive');
  const stopTime = await timed(() => ec2.stop());
  assert.ok(stopTime < 500, `stop took ${stopTime} ms`);
  const outcome = await settled;
  assert.ok(outcome instanceof Error, 'the hung call must fail once the emulator stops');
});

test('stop() also cuts a hang on a plain HTTP request and a pending delay', async (t) => {
  const tencent = await tencentEmulator(t);
  tencent.inject({ fault: 'hang', action: 'DescribeZones' });
  tencent.inject({ fault: 'delay', ms: 60_000, action: 'DescribeRegions' });
  const raw = (action: string) =>
    new Promise<string>((resolve) => {
      const req = request(`${tencent.url}/`, { method: 'POST', headers: { 'x-tc-action': action } }, (res) =>
        resolve(`status ${res.statusCode}`),
      );
      req.on('error', (err) => resolve(err.message));
      req.end('{}');
    });
  const outcomes = Promise.all([raw('DescribeZones'), raw('DescribeRegions')]);
  await waitFor(() => tencent.calls.length === 2, 2000, 'both calls to arrive');
  assert.ok((await timed(() => tencent.stop())) < 500);
  assert.deepEqual(await outcomes, ['socket hang up', 'socket hang up']);
});

test('Tencent SDK: throttling and InternalError reach the caller on the first attempt (the SDK never retries)', async (t) => {
  const tencent = await tencentEmulator(t);
  tencent.inject({ fault: 'throttle', action: 'RebootInstances' });
  await assert.rejects(cvmClient(tencent).RebootInstances({ InstanceIds: [CVM_ID] }), (err: unknown) => {
    assert.equal((err as { code?: string }).code, 'RequestLimitExceeded');
    assert.equal((err as { httpCode?: number }).httpCode, undefined);
    return true;
  });
  assert.equal(tencent.callsTo('RebootInstances').length, 1);
  assert.equal(tencent.calls[0]?.status, 200);
  tencent.inject({ fault: 'internal-error' });
  await assert.rejects(cvmClient(tencent).DescribeInstances({}), { code: 'InternalError' });
  tencent.inject({ fault: 'error', code: 'OperationDenied.InstanceOperationInProgress' });
  await assert.rejects(cvmClient(tencent).RebootInstances({ InstanceIds: [CVM_ID] }), {
    code: 'OperationDenied.InstanceOperationInProgress',
  });
  await cvmClient(tencent).RebootInstances({ InstanceIds: [CVM_ID] });
  assert.equal(tencent.instance(CVM_ID)?.rebootCount, 1);
  assert.equal(tencent.calls.length, 4);
});

test('Tencent SDK: a bare 502 from a proxy surfaces with httpCode and no code', async (t) => {
  const tencent = await tencentEmulator(t);
  tencent.inject({ fault: 'http-status', status: 502, body: 'bad gateway' });
  await assert.rejects(cvmClient(tencent).DescribeInstances({}), (err: unknown) => {
    const e = err as { code?: string; httpCode?: number; message: string };
    assert.equal(e.code, undefined);
    assert.equal(e.httpCode, 502);
    assert.equal(e.message, 'Bad Gateway');
    return true;
  });
});

test('Tencent SDK: a hang is cut by reqTimeout (seconds) with "network timeout at"', async (t) => {
  const tencent = await tencentEmulator(t);
  tencent.inject({ fault: 'hang' });
  await assert.rejects(
    cvmClient(tencent, { reqTimeoutSeconds: 1 }).RebootInstances({ InstanceIds: [CVM_ID] }),
    (err: unknown) => {
      const e = err as { code?: string; message: string };
      assert.equal(e.code, undefined);
      assert.equal(e.message, `network timeout at: ${tencent.url}/`);
      return true;
    },
  );
  assert.equal(tencent.calls.length, 1);
  assert.equal(tencent.instance(CVM_ID)?.rebootCount, 0);
  assert.ok((await timed(() => tencent.stop())) < 500);
});
