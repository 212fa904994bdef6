import { test } from 'node:test';
import {
  actedThenFailedTests,
  rebootErrorTests,
  type ActedRow,
  type RebootErrorRow,
} from './reboot-error-rows.js';
import assert from 'node:assert/strict';
import { AwsProvider, type AwsProviderOptions } from '../../../../src/cloud/aws/aws-provider.js';
import { startEc2Emulator, type Ec2Emulator } from '../../../emulators/ec2/ec2-emulator.js';
import { AWS_KEY, awsTarget, cloudFailure, isolateCloudEnvironment, UUID } from './helpers.js';

isolateCloudEnvironment();

const EAST = 'i-0123456789abcdef0';
const WEST = 'i-0aaaaaaaaaaaaaaa1';
const MISSING = 'i-0000000000000dead';

type TestContext = { after: (fn: () => void | Promise<void>) => void };

async function emulator(t: TestContext): Promise<Ec2Emulator> {
  const ec2 = await startEc2Emulator({
    credentials: {
      [AWS_KEY.accessKeyId]: AWS_KEY.secretAccessKey,
      AKIDREADONLY: { secret: 'readonly-secret', allowedActions: ['DescribeInstances'] },
    },
    instances: [
      { instanceId: EAST, region: 'us-east-1', availabilityZone: 'us-east-1a' },
      { instanceId: WEST, region: 'us-west-2', availabilityZone: 'us-west-2b' },
    ],
  });
  t.after(() => ec2.stop());
  return ec2;
}

function provider(t: TestContext, ec2: Ec2Emulator, options: Partial<AwsProviderOptions> = {}): AwsProvider {
  const aws = new AwsProvider({
    timeoutMs: 5000,
    maxAttempts: 3,
    endpoint: ec2.url,
    credentials: AWS_KEY,
    ...options,
  });
  t.after(() => aws.close());
  return aws;
}

const reboot = { mode: 'SoftFirst', dryRun: false } as const;

test('a reboot is one signed RebootInstances for the instance, in its region, reported as SoftFirst', async (t) => {
  const ec2 = await emulator(t);
  const aws = provider(t, ec2);
  const result = await aws.reboot(awsTarget(WEST, 'us-west-2'), reboot);
  assert.equal(result.mode, 'SoftFirst');
  assert.match(result.requestId ?? '', UUID);
  assert.equal(result.dryRunReport, undefined);
  const calls = ec2.callsTo('RebootInstances');
  assert.equal(calls.length, 1);
  const [call] = calls;
  assert.equal(call?.region, 'us-west-2');
  assert.equal(call?.signatureValid, true);
  assert.match(call?.signingScope ?? '', /^\d{8}\/us-west-2\/ec2\/aws4_request$/);
  assert.deepEqual(call?.params['InstanceId'], [WEST]);
  assert.equal(call?.params['DryRun'], undefined);
  assert.equal(ec2.instance(WEST)?.rebootCount, 1);
  assert.equal(ec2.instance(EAST)?.rebootCount, 0);
});

test('Soft is performed as EC2 reboots (SoftFirst); Hard is refused before any call', async (t) => {
  const ec2 = await emulator(t);
  const aws = provider(t, ec2);
  assert.deepEqual(aws.rebootModes, ['SoftFirst', 'Soft']);
  assert.equal((await aws.reboot(awsTarget(EAST), { mode: 'Soft', dryRun: false })).mode, 'SoftFirst');
  const refused = await cloudFailure(
    aws.reboot(awsTarget(EAST), { mode: 'Hard', dryRun: false }),
    'Unsupported',
    /mode Hard.*SoftFirst/,
  );
  assert.equal(refused.status.code, 422);
  assert.equal(ec2.callsTo('RebootInstances').length, 1);
});

test('a dry run is RebootInstances with DryRun=true and a DescribeInstances, and reboots nothing', async (t) => {
  const ec2 = await emulator(t);
  const aws = provider(t, ec2);
  const result = await aws.reboot(awsTarget(EAST), { mode: 'SoftFirst', dryRun: true });
  assert.match(result.requestId ?? '', UUID);
  assert.deepEqual(
    result.dryRunReport?.checks.map((c) => c.name),
    ['Authorization', 'InstanceState', 'Mode'],
  );
  assert.match(result.dryRunReport?.checks[1]?.detail ?? '', /running/);
  assert.deepEqual(
    ec2.calls.map((c) => [c.action, c.params['DryRun'], c.errorCode]),
    [
      ['RebootInstances', 'true', 'DryRunOperation'],
      ['DescribeInstances', undefined, undefined],
    ],
  );
  assert.equal(ec2.instance(EAST)?.rebootCount, 0);
});

test('a dry run fails as the reboot would: no permission, a stopped instance, an unknown instance', async (t) => {
  const ec2 = await emulator(t);
  const readOnly = provider(t, ec2, {
    credentials: { accessKeyId: 'AKIDREADONLY', secretAccessKey: 'readonly-secret' },
  });
  const denied = await cloudFailure(
    readOnly.reboot(awsTarget(EAST), { mode: 'SoftFirst', dryRun: true }),
    'PermissionDenied',
    /grant ec2:RebootInstances/,
  );
  assert.match(denied.requestId ?? '', UUID);
  assert.equal(denied.code, 'UnauthorizedOperation');

  const aws = provider(t, ec2);
  ec2.setInstanceState(EAST, 'stopped');
  await cloudFailure(
    aws.reboot(awsTarget(EAST), { mode: 'SoftFirst', dryRun: true }),
    'InvalidState',
    /stopped/,
  );
  await cloudFailure(aws.reboot(awsTarget(MISSING), { mode: 'SoftFirst', dryRun: true }), 'InstanceNotFound');
  assert.equal(ec2.instance(EAST)?.rebootCount, 0);
});

test('describe normalises the EC2 state and carries the request id', async (t) => {
  const ec2 = await emulator(t);
  const aws = provider(t, ec2);
  const running = await aws.describe(awsTarget(EAST));
  assert.deepEqual([running.instanceId, running.state, running.cloudState], [EAST, 'running', 'running']);
  assert.match(running.requestId ?? '', UUID);
  ec2.setInstanceState(EAST, 'stopped');
  assert.equal((await aws.describe(awsTarget(EAST))).state, 'stopped');
  await cloudFailure(aws.describe(awsTarget(MISSING)), 'InstanceNotFound', /i-0000000000000dead/);
});

const ERROR_ROWS: RebootErrorRow<Ec2Emulator, AwsProviderOptions>[] = [
  {
    name: 'an unknown instance',
    instanceId: MISSING,
    kind: 'InstanceNotFound',
    outcome: 'not-acted',
    code: 'InvalidInstanceID.NotFound',
    message: /The instance ID 'i-0000000000000dead' does not exist/,
    calls: 1,
  },
  {
    name: 'a stopped instance',
    prepare: (ec2) => ec2.setInstanceState(EAST, 'stopped'),
    kind: 'InvalidState',
    outcome: 'not-acted',
    code: 'IncorrectInstanceState',
    calls: 1,
  },
  {
    name: 'a key without ec2:RebootInstances',
    options: { credentials: { accessKeyId: 'AKIDREADONLY', secretAccessKey: 'readonly-secret' } },
    kind: 'PermissionDenied',
    outcome: 'not-acted',
    code: 'UnauthorizedOperation',
    message: /grant ec2:RebootInstances in its IAM policy/,
    calls: 1,
  },
  {
    name: 'an unknown access key',
    options: { credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' } },
    kind: 'AuthFailure',
    outcome: 'not-acted',
    code: 'AuthFailure',
    message: /credentials.*IRSA/,
    calls: 1,
  },
  {
    name: 'a wrong secret',
    options: { credentials: { ...AWS_KEY, secretAccessKey: 'wrong' } },
    kind: 'AuthFailure',
    outcome: 'not-acted',
    code: 'SignatureDoesNotMatch',
    calls: 1,
  },
  {
    name: 'throttling on every attempt',
    fault: { fault: 'throttle', times: Infinity },
    kind: 'Throttled',
    outcome: 'not-acted',
    code: 'RequestLimitExceeded',
    message: /after 3 attempts.*did not act/,
    calls: 3,
  },
  {
    name: 'an internal error',
    fault: { fault: 'internal-error', times: Infinity },
    kind: 'Unavailable',
    outcome: 'unknown',
    code: 'InternalError',
    message: /HTTP 500.*whether RebootInstances took effect is unknown/,
    calls: 1,
  },
  {
    name: 'a 503 Unavailable',
    fault: { fault: 'error', code: 'Unavailable', httpStatus: 503, times: Infinity },
    kind: 'Unavailable',
    outcome: 'unknown',
    calls: 1,
  },
  {
    name: 'a bare 502 from a proxy',
    fault: { fault: 'http-status', status: 502, body: 'Bad Gateway', times: Infinity },
    kind: 'Unavailable',
    outcome: 'unknown',
    message: /HTTP 502/,
    calls: 1,
    requestId: false,
  },
  {
    name: 'a malformed parameter',
    fault: { fault: 'error', code: 'InvalidParameterValue', message: 'bad value' },
    kind: 'InvalidRequest',
    outcome: 'not-acted',
    calls: 1,
  },
  {
    name: 'an unsupported operation',
    fault: { fault: 'error', code: 'UnsupportedOperation', message: 'not for this instance type' },
    kind: 'Unsupported',
    outcome: 'not-acted',
    calls: 1,
  },
];

const AWS_SETUP = {
  cloud: 'aws',
  emulator,
  provider,
  target: (id: string) => awsTarget(id),
  instanceId: EAST,
};

rebootErrorTests(ERROR_ROWS, AWS_SETUP);

const ACTED_ROWS: ActedRow<AwsProviderOptions>[] = [
  {
    name: 'a 500 InternalError',
    fault: { fault: 'internal-error' },
    kind: 'Unavailable',
    message: /HTTP 500.*whether RebootInstances took effect is unknown/,
  },
  {
    name: 'a bare 502 from a proxy',
    fault: { fault: 'http-status', status: 502, body: 'Bad Gateway' },
    kind: 'Unavailable',
    message: /HTTP 502[\s\S]*unknown/,
  },
  {
    name: 'a dropped connection',
    fault: { fault: 'drop' },
    kind: 'Unavailable',
    message: /lost its connection to EC2.*unknown/,
  },
  {
    name: 'no answer',
    fault: { fault: 'hang' },
    options: { timeoutMs: 300 },
    kind: 'Timeout',
    message: /within 300 ms.*unknown/,
  },
];

actedThenFailedTests(ACTED_ROWS, AWS_SETUP);

test('throttling is retried by the SDK up to maxAttempts, and a later success reboots once', async (t) => {
  const ec2 = await emulator(t);
  ec2.inject({ action: 'RebootInstances', fault: 'throttle', times: Infinity });
  await cloudFailure(provider(t, ec2, { maxAttempts: 2 }).reboot(awsTarget(EAST), reboot), 'Throttled');
  assert.deepEqual(
    ec2.callsTo('RebootInstances').map((c) => c.attempt),
    [1, 2],
  );
  ec2.clearFaults();
  ec2.clearCalls();
  ec2.inject({ action: 'RebootInstances', fault: 'throttle', times: 1 });
  const throttled = await provider(t, ec2).reboot(awsTarget(EAST), reboot);
  assert.match(throttled.requestId ?? '', UUID);
  assert.deepEqual(
    ec2.callsTo('RebootInstances').map((c) => [c.attempt, c.errorCode]),
    [
      [1, 'RequestLimitExceeded'],
      [2, undefined],
    ],
  );
  assert.equal(ec2.instance(EAST)?.rebootCount, 1);
});

test('a reboot whose outcome is unknown is never repeated, while a read is', async (t) => {
  const ec2 = await emulator(t);
  const aws = provider(t, ec2);
  ec2.inject({ action: 'RebootInstances', fault: 'internal-error', times: 1 });
  await cloudFailure(aws.reboot(awsTarget(EAST), reboot), 'Unavailable', /not repeated/);
  assert.equal(ec2.callsTo('RebootInstances').length, 1);

  ec2.inject({ action: 'DescribeInstances', fault: 'internal-error', times: 1 });
  assert.equal((await aws.describe(awsTarget(EAST))).state, 'running');
  assert.deepEqual(
    ec2.callsTo('DescribeInstances').map((c) => c.attempt),
    [1, 2],
  );
});

test('a hung endpoint is a Timeout within the configured time, with no second reboot request', async (t) => {
  const ec2 = await emulator(t);
  ec2.inject({ action: 'RebootInstances', fault: 'hang', times: Infinity });
  const aws = provider(t, ec2, { timeoutMs: 300 });
  const started = performance.now();
  const error = await cloudFailure(aws.reboot(awsTarget(EAST), reboot), 'Timeout', /within 300 ms.*unknown/);
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 290 && elapsed < 1500, `took ${elapsed} ms`);
  assert.equal(error.status.code, 504);
  assert.equal(ec2.callsTo('RebootInstances').length, 1);
});

test("the caller's AbortSignal ends the call early", async (t) => {
  const ec2 = await emulator(t);
  ec2.inject({ action: 'DescribeInstances', fault: 'hang' });
  const aws = provider(t, ec2, { timeoutMs: 5000 });
  const started = performance.now();
  await cloudFailure(
    aws.describe(awsTarget(EAST), { signal: AbortSignal.timeout(100) }),
    'Timeout',
    /cancelled/,
  );
  assert.ok(performance.now() - started < 1000);
  await cloudFailure(
    aws.reboot(awsTarget(EAST), { ...reboot, signal: AbortSignal.abort() }),
    'Timeout',
    /cancelled/,
  );
  assert.equal(ec2.callsTo('RebootInstances').length, 0);
});

test('a refused connection is retried, as nothing was sent, then Unavailable', async (t) => {
  const ec2 = await emulator(t);
  await ec2.stop();
  const aws = provider(t, ec2);
  const error = await cloudFailure(aws.reboot(awsTarget(EAST), reboot), 'Unavailable', /ECONNREFUSED/);
  assert.match(error.message, /after 3 attempts.*the request was not sent/);
  assert.doesNotMatch(error.message, /unknown/);
  assert.equal(error.outcome, 'not-acted');
});

test('with no credentials anywhere, the error says where the server looks for them', async (t) => {
  const ec2 = await emulator(t);
  const aws = provider(t, ec2, { credentials: undefined });
  const error = await cloudFailure(
    aws.reboot(awsTarget(EAST), reboot),
    'AuthFailure',
    /AWS_ACCESS_KEY_ID.*IRSA/,
  );
  assert.equal(error.code, 'CredentialsProviderError');
  assert.equal(ec2.calls.length, 0);
});

test("the SDK's default chain and AWS_ENDPOINT_URL_EC2 are used when no endpoint or keys are given", async (t) => {
  const ec2 = await emulator(t);
  process.env['AWS_ENDPOINT_URL_EC2'] = ec2.url;
  process.env['AWS_ACCESS_KEY_ID'] = AWS_KEY.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = AWS_KEY.secretAccessKey;
  t.after(() => {
    for (const name of ['AWS_ENDPOINT_URL_EC2', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
      delete process.env[name];
  });
  const aws = new AwsProvider({ timeoutMs: 5000, maxAttempts: 3 });
  t.after(() => aws.close());
  await aws.reboot(awsTarget(EAST), reboot);
  await aws.reboot(awsTarget(WEST, 'us-west-2'), reboot);
  assert.deepEqual(
    ec2.callsTo('RebootInstances').map((c) => [c.region, c.accessKeyId, c.signatureValid]),
    [
      ['us-east-1', AWS_KEY.accessKeyId, true],
      ['us-west-2', AWS_KEY.accessKeyId, true],
    ],
  );
});

test('stop is one StopInstances: Soft plain, SoftFirst with Force, Hard with SkipOsShutdown', async (t) => {
  const ec2 = await emulator(t);
  const aws = provider(t, ec2);
  for (const [mode, flags] of [
    ['Soft', [undefined, undefined]],
    ['SoftFirst', ['true', undefined]],
    ['Hard', [undefined, 'true']],
  ] as const) {
    ec2.setInstanceState(WEST, 'running');
    const result = await aws.stop(awsTarget(WEST, 'us-west-2'), { mode, dryRun: false });
    assert.match(result.requestId ?? '', UUID);
    const call = ec2.callsTo('StopInstances').at(-1);
    assert.deepEqual(call?.params['InstanceId'], [WEST]);
    assert.deepEqual([call?.params['Force'], call?.params['SkipOsShutdown']], flags, mode);
    assert.deepEqual(
      [call?.region, call?.signatureValid, call?.params['DryRun']],
      ['us-west-2', true, undefined],
    );
    assert.equal(ec2.instance(WEST)?.state, 'stopping');
  }
  assert.equal(ec2.callsTo('StopInstances').length, 3);
  assert.equal(ec2.instance(EAST)?.state, 'running');
});

test('start is one StartInstances for a stopped instance; one still stopping is refused', async (t) => {
  const ec2 = await emulator(t);
  const aws = provider(t, ec2);
  await aws.stop(awsTarget(EAST), { mode: 'Soft', dryRun: false });
  await cloudFailure(
    aws.start(awsTarget(EAST), { dryRun: false }),
    'InvalidState',
    /not in a state from which it can be started/,
  );
  ec2.finishTransitions();
  const result = await aws.start(awsTarget(EAST), { dryRun: false });
  assert.match(result.requestId ?? '', UUID);
  assert.deepEqual(
    ec2.callsTo('StartInstances').map((c) => [c.params['InstanceId'], c.errorCode]),
    [
      [[EAST], 'IncorrectInstanceState'],
      [[EAST], undefined],
    ],
  );
  assert.equal(ec2.instance(EAST)?.state, 'pending');
});

test('stop and start dry runs send DryRun=true and a describe, and need running or stopped', async (t) => {
  const ec2 = await emulator(t);
  const aws = provider(t, ec2);
  const dry = await aws.stop(awsTarget(EAST), { mode: 'Hard', dryRun: true });
  assert.deepEqual(
    dry.dryRunReport?.checks.map((c) => c.name),
    ['Authorization', 'InstanceState', 'Mode'],
  );
  assert.match(dry.dryRunReport?.checks[2]?.detail ?? '', /SkipOsShutdown/);
  await cloudFailure(
    aws.start(awsTarget(EAST), { dryRun: true }),
    'InvalidState',
    /is running; only a stopped instance can be started/,
  );
  assert.deepEqual(
    ec2.calls.map((c) => [c.action, c.params['DryRun'], c.errorCode]),
    [
      ['StopInstances', 'true', 'DryRunOperation'],
      ['DescribeInstances', undefined, undefined],
      ['StartInstances', 'true', 'DryRunOperation'],
      ['DescribeInstances', undefined, undefined],
    ],
  );
  assert.equal(ec2.instance(EAST)?.state, 'running');
});

test('a stop or start whose outcome is unknown is never repeated', async (t) => {
  const ec2 = await emulator(t);
  ec2.inject({ action: 'StopInstances', fault: 'hang', times: Infinity });
  ec2.inject({ action: 'StartInstances', fault: 'internal-error', times: Infinity });
  const aws = provider(t, ec2, { timeoutMs: 300 });
  await cloudFailure(
    aws.stop(awsTarget(EAST), { mode: 'SoftFirst', dryRun: false }),
    'Timeout',
    /StopInstances .*within 300 ms.*whether StopInstances took effect is unknown/,
  );
  await cloudFailure(
    aws.start(awsTarget(EAST), { dryRun: false }),
    'Unavailable',
    /whether StartInstances took effect is unknown/,
  );
  assert.deepEqual([ec2.callsTo('StopInstances').length, ec2.callsTo('StartInstances').length], [1, 1]);
});

test('a throttled reboot is repeated and carried out once; one EC2 carried out before a 500 is not repeated', async (t) => {
  const ec2 = await emulator(t);
  const aws = provider(t, ec2);
  ec2.inject({ action: 'RebootInstances', fault: 'throttle', times: 2 });
  await aws.reboot(awsTarget(EAST), reboot);
  assert.equal(ec2.callsTo('RebootInstances').length, 3);
  assert.equal(ec2.executed('RebootInstances', EAST).length, 1);

  ec2.clearCalls();
  ec2.inject({ action: 'RebootInstances', fault: 'internal-error', afterExecuting: true });
  await cloudFailure(
    aws.reboot(awsTarget(EAST), reboot),
    'Unavailable',
    /HTTP 500.*whether RebootInstances took effect is unknown, so it was not repeated/,
  );
  ec2.inject({ action: 'StopInstances', fault: 'drop', afterExecuting: true });
  await cloudFailure(
    aws.stop(awsTarget(EAST), { mode: 'SoftFirst', dryRun: false }),
    'Unavailable',
    /lost its connection to EC2.*whether StopInstances took effect is unknown/,
  );
  assert.deepEqual(
    ec2.executed().map((e) => e.action),
    ['RebootInstances', 'StopInstances'],
  );
  assert.equal(ec2.calls.length, 2);
});

test('a kept-alive connection EC2 reset while idle fails the write, which sent nothing: repeated, carried out once', async (t) => {
  const ec2 = await emulator(t);
  const aws = provider(t, ec2);
  await aws.describe(awsTarget(EAST));
  assert.equal(ec2.resetIdleConnections(), 1);
  // The reset is in the client's kernel; its event loop has not seen it, so the SDK writes on the dead connection.
  const result = await aws.reboot(awsTarget(EAST), reboot);
  assert.match(result.requestId ?? '', UUID);
  assert.deepEqual(
    ec2.callsTo('RebootInstances').map((c) => c.attempt),
    [2],
  );
  assert.equal(ec2.executed('RebootInstances', EAST).length, 1);
});
