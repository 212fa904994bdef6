import { test } from 'node:test';
import {
  actedThenFailedTests,
  rebootErrorTests,
  type ActedRow,
  type RebootErrorRow,
} from './reboot-error-rows.js';
import assert from 'node:assert/strict';
import type { RebootMode } from '../../../../src/cloud/contract/provider.js';
import {
  TencentProvider,
  type TencentProviderOptions,
} from '../../../../src/cloud/tencent/tencent-provider.js';
import { startTencentEmulator, type TencentEmulator } from '../../../emulators/tencent/tencent-emulator.js';
import {
  cloudFailure,
  gaps,
  isolateCloudEnvironment,
  TENCENT_KEY,
  tencentEmulatorOptions,
  tencentTarget,
  UUID,
  waitFor,
} from './helpers.js';

isolateCloudEnvironment();

const GZ = 'ins-r8hr2upy';
const SH = 'ins-3ven36lk';
const MISSING = 'ins-aaaaaaaa';

type TestContext = { after: (fn: () => void | Promise<void>) => void };

async function emulator(t: TestContext): Promise<TencentEmulator> {
  const cvm = await startTencentEmulator({
    credentials: {
      [TENCENT_KEY.secretId]: TENCENT_KEY.secretKey,
      AKIDREADONLY: { secret: 'readonly', allowedActions: ['DescribeInstances'] },
    },
    instances: [
      { instanceId: GZ, region: 'ap-guangzhou', zone: 'ap-guangzhou-3' },
      { instanceId: SH, region: 'ap-shanghai', zone: 'ap-shanghai-2' },
    ],
    rebootMs: 300,
  });
  t.after(() => cvm.stop());
  return cvm;
}

function provider(
  t: TestContext,
  cvm: TencentEmulator,
  options: Partial<TencentProviderOptions> = {},
): TencentProvider {
  const tencent = new TencentProvider({ ...tencentEmulatorOptions(cvm.port), ...options });
  t.after(() => tencent.close());
  return tencent;
}

const reboot = { mode: 'SoftFirst', dryRun: false } as const;

for (const [mode, stopType] of [
  ['Soft', 'SOFT'],
  ['Hard', 'HARD'],
  ['SoftFirst', 'SOFT_FIRST'],
] as const) {
  test(`mode ${mode} is one signed RebootInstances with StopType ${stopType}`, async (t) => {
    const cvm = await emulator(t);
    const result = await provider(t, cvm).reboot(tencentTarget(SH, 'ap-shanghai'), { mode, dryRun: false });
    assert.equal(result.mode, mode);
    assert.match(result.requestId ?? '', UUID);
    assert.equal(cvm.instance(SH)?.latestOperationRequestId, result.requestId);
    const calls = cvm.callsTo('RebootInstances');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.region, 'ap-shanghai');
    assert.equal(calls[0]?.signatureValid, true);
    assert.match(calls[0]?.signingScope ?? '', /^\d{4}-\d{2}-\d{2}\/cvm\/tc3_request$/);
    assert.deepEqual(calls[0]?.params, { InstanceIds: [SH], StopType: stopType });
    assert.equal(cvm.instance(SH)?.lastStopType, stopType);
    assert.equal(cvm.instance(SH)?.state, 'REBOOTING');
    assert.equal(cvm.instance(GZ)?.rebootCount, 0);
  });
}

test('every mode is accepted; an unknown one is refused before any call', async (t) => {
  const cvm = await emulator(t);
  const tencent = provider(t, cvm);
  assert.deepEqual([...tencent.rebootModes].sort(), ['Hard', 'Soft', 'SoftFirst']);
  await cloudFailure(
    tencent.reboot(tencentTarget(GZ), { mode: 'Now' as RebootMode, dryRun: false }),
    'InvalidRequest',
  );
  assert.equal(cvm.calls.length, 0);
});

test('a dry run is a DescribeInstances preflight that reboots nothing', async (t) => {
  const cvm = await emulator(t);
  const result = await provider(t, cvm).reboot(tencentTarget(GZ), { mode: 'Hard', dryRun: true });
  assert.equal(result.mode, 'Hard');
  assert.match(result.requestId ?? '', UUID);
  assert.deepEqual(
    result.dryRunReport?.checks.map((c) => c.name),
    ['Credentials', 'InstanceState', 'Authorization', 'Mode'],
  );
  assert.match(result.dryRunReport?.checks[1]?.detail ?? '', /RUNNING/);
  assert.match(result.dryRunReport?.checks[2]?.detail ?? '', /cvm:RebootInstances/);
  assert.match(result.dryRunReport?.checks[3]?.detail ?? '', /StopType HARD/);
  assert.deepEqual(
    cvm.calls.map((c) => [c.action, c.params]),
    [['DescribeInstances', { InstanceIds: [GZ] }]],
  );
  assert.equal(cvm.instance(GZ)?.rebootCount, 0);
});

test('a dry run reports what the reboot would meet: rebooting, stopped, missing, bad keys', async (t) => {
  const cvm = await emulator(t);
  const tencent = provider(t, cvm);
  const dryRun = { mode: 'SoftFirst', dryRun: true } as const;
  await tencent.reboot(tencentTarget(GZ), reboot);
  const busy = await cloudFailure(
    tencent.reboot(tencentTarget(GZ), dryRun),
    'OperationInProgress',
    /REBOOTING/,
  );
  assert.match(busy.requestId ?? '', UUID);
  cvm.setInstanceState(GZ, 'STOPPED');
  await cloudFailure(tencent.reboot(tencentTarget(GZ), dryRun), 'InvalidState', /STOPPED/);
  await cloudFailure(tencent.reboot(tencentTarget(MISSING), dryRun), 'InstanceNotFound');
  const wrongKey = provider(t, cvm, { credential: { ...TENCENT_KEY, secretKey: 'wrong' } });
  await cloudFailure(wrongKey.reboot(tencentTarget(GZ), dryRun), 'AuthFailure', /SecretKey/);
  assert.equal(cvm.instance(GZ)?.rebootCount, 1);
});

test('describe normalises the CVM state through a reboot', async (t) => {
  const cvm = await emulator(t);
  const tencent = provider(t, cvm);
  await tencent.reboot(tencentTarget(GZ), reboot);
  const during = await tencent.describe(tencentTarget(GZ));
  assert.deepEqual([during.state, during.cloudState], ['rebooting', 'REBOOTING']);
  assert.match(during.requestId ?? '', UUID);
  await waitFor(() => cvm.instance(GZ)?.state === 'RUNNING', 2000, 'RUNNING');
  assert.equal((await tencent.describe(tencentTarget(GZ))).state, 'running');
  await cloudFailure(tencent.describe(tencentTarget(MISSING)), 'InstanceNotFound');
});

const ERROR_ROWS: RebootErrorRow<TencentEmulator, TencentProviderOptions>[] = [
  {
    name: 'an unknown instance',
    instanceId: MISSING,
    kind: 'InstanceNotFound',
    outcome: 'not-acted',
    code: 'InvalidInstanceId.NotFound',
    message: /ins-aaaaaaaa/,
    calls: 1,
  },
  {
    name: 'an instance already rebooting',
    prepare: (cvm) => cvm.setInstanceState(GZ, 'REBOOTING'),
    kind: 'OperationInProgress',
    outcome: 'not-acted',
    code: 'UnsupportedOperation.InstanceStateRebooting',
    calls: 1,
  },
  {
    name: 'another operation in progress',
    fault: { fault: 'error', code: 'OperationDenied.InstanceOperationInProgress', message: 'busy' },
    kind: 'OperationInProgress',
    outcome: 'not-acted',
    calls: 1,
  },
  {
    name: 'a stopped instance',
    prepare: (cvm) => cvm.setInstanceState(GZ, 'STOPPED'),
    kind: 'InvalidState',
    outcome: 'not-acted',
    code: 'UnsupportedOperation.InstanceStateStopped',
    calls: 1,
  },
  {
    name: 'a key without cvm:RebootInstances',
    options: { credential: { secretId: 'AKIDREADONLY', secretKey: 'readonly' } },
    kind: 'PermissionDenied',
    outcome: 'not-acted',
    code: 'AuthFailure.UnauthorizedOperation',
    message: /grant cvm:RebootInstances in its CAM policy/,
    calls: 1,
  },
  {
    name: 'a wrong secret key',
    options: { credential: { ...TENCENT_KEY, secretKey: 'wrong' } },
    kind: 'AuthFailure',
    outcome: 'not-acted',
    code: 'AuthFailure.SignatureFailure',
    message: /TENCENTCLOUD_SECRET_ID/,
    calls: 1,
  },
  {
    name: 'an unknown SecretId',
    options: { credential: { secretId: 'AKIDNOBODY', secretKey: 'x' } },
    kind: 'AuthFailure',
    outcome: 'not-acted',
    code: 'AuthFailure.SecretIdNotFound',
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
    message: /whether RebootInstances took effect is unknown/,
    calls: 1,
  },
  {
    name: 'a bare 502 from a proxy',
    fault: { fault: 'http-status', status: 502, times: Infinity },
    kind: 'Unavailable',
    outcome: 'unknown',
    message: /HTTP 502/,
    calls: 1,
    requestId: false,
  },
  {
    name: 'a bad parameter',
    fault: { fault: 'error', code: 'InvalidParameterValue', message: 'bad' },
    kind: 'InvalidRequest',
    outcome: 'not-acted',
    calls: 1,
  },
  {
    name: 'an unsupported instance',
    fault: { fault: 'error', code: 'InvalidInstance.NotSupported', message: 'no' },
    kind: 'Unsupported',
    outcome: 'not-acted',
    calls: 1,
  },
];

const TENCENT_SETUP = {
  cloud: 'tencent',
  emulator,
  provider,
  target: (id: string) => tencentTarget(id),
  instanceId: GZ,
};

rebootErrorTests(ERROR_ROWS, TENCENT_SETUP);

const ACTED_ROWS: ActedRow<TencentProviderOptions>[] = [
  {
    name: 'an InternalError',
    fault: { fault: 'internal-error' },
    kind: 'Unavailable',
    message: /InternalError.*whether RebootInstances took effect is unknown/,
  },
  {
    name: 'a bare 502 from a proxy',
    fault: { fault: 'http-status', status: 502 },
    kind: 'Unavailable',
    message: /HTTP 502.*unknown/,
  },
  {
    name: 'a dropped connection',
    fault: { fault: 'drop' },
    kind: 'Unavailable',
    message: /could not reach the CVM API.*unknown/,
  },
  {
    name: 'no answer',
    fault: { fault: 'hang' },
    options: { timeoutMs: 300 },
    kind: 'Timeout',
    message: /unknown/,
  },
];

actedThenFailedTests(ACTED_ROWS, TENCENT_SETUP);

test('throttling is retried with growing delays, a bounded number of times', async (t) => {
  const cvm = await emulator(t);
  cvm.inject({ action: 'RebootInstances', fault: 'throttle', times: Infinity });
  // random() near 1 makes each delay its upper bound: 100 ms, then 200 ms.
  const backoff = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };
  await cloudFailure(provider(t, cvm, { backoff }).reboot(tencentTarget(GZ), reboot), 'Throttled');
  const throttled = cvm.callsTo('RebootInstances');
  assert.equal(throttled.length, 3);
  const [first = 0, second = 0] = gaps(throttled.map((c) => c.at));
  assert.ok(first >= 90 && second >= 190 && second > first, `gaps ${first} ms, ${second} ms`);

  cvm.clearFaults();
  cvm.clearCalls();
  cvm.inject({ action: 'RebootInstances', fault: 'throttle', times: 2 });
  const result = await provider(t, cvm).reboot(tencentTarget(GZ), reboot);
  assert.deepEqual(
    cvm.callsTo('RebootInstances').map((c) => c.errorCode),
    ['RequestLimitExceeded', 'RequestLimitExceeded', undefined],
  );
  assert.equal(cvm.instance(GZ)?.latestOperationRequestId, result.requestId);
  assert.equal(cvm.instance(GZ)?.rebootCount, 1);
});

test('retries stop at the deadline: the last throttling is reported, not a timeout', async (t) => {
  const cvm = await emulator(t);
  cvm.inject({ action: 'RebootInstances', fault: 'throttle', times: Infinity });
  const backoff = { baseDelayMs: 1000, maxDelayMs: 1000, random: () => 0.999 };
  const tencent = provider(t, cvm, { timeoutMs: 500, maxAttempts: 5, backoff });
  await cloudFailure(tencent.reboot(tencentTarget(GZ), reboot), 'Throttled');
  assert.equal(cvm.callsTo('RebootInstances').length, 1);
});

test('a reboot whose outcome is unknown is never repeated, while a read is', async (t) => {
  const cvm = await emulator(t);
  const tencent = provider(t, cvm);
  cvm.inject({ action: 'RebootInstances', fault: 'internal-error' });
  await cloudFailure(tencent.reboot(tencentTarget(GZ), reboot), 'Unavailable', /not repeated/);
  assert.equal(cvm.callsTo('RebootInstances').length, 1);

  cvm.inject({ action: 'DescribeInstances', fault: 'internal-error' });
  cvm.inject({ action: 'DescribeInstances', fault: 'http-status', status: 503 });
  assert.equal((await tencent.describe(tencentTarget(GZ))).state, 'running');
  assert.deepEqual(
    cvm.callsTo('DescribeInstances').map((c) => c.status),
    [200, 503, 200],
  );
});

test('a hung endpoint is a Timeout within the configured time, after exactly one reboot request', async (t) => {
  const cvm = await emulator(t);
  cvm.inject({ action: 'RebootInstances', fault: 'hang', times: Infinity });
  const tencent = provider(t, cvm, { timeoutMs: 300 });
  const started = performance.now();
  await cloudFailure(tencent.reboot(tencentTarget(GZ), reboot), 'Timeout', /within 300 ms.*unknown/);
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 290 && elapsed < 1500, `took ${elapsed} ms`);
  assert.equal(cvm.callsTo('RebootInstances').length, 1);
});

test("the caller's AbortSignal ends a hung read early, without repeating it", async (t) => {
  const cvm = await emulator(t);
  cvm.inject({ action: 'DescribeInstances', fault: 'hang' });
  const started = performance.now();
  await cloudFailure(
    provider(t, cvm).describe(tencentTarget(GZ), { signal: AbortSignal.timeout(100) }),
    'Timeout',
    /cancelled/,
  );
  assert.ok(performance.now() - started < 1000);
  assert.equal(cvm.callsTo('DescribeInstances').length, 1);
});

test('a refused connection is retried, as nothing was sent, then Unavailable', async (t) => {
  const cvm = await emulator(t);
  await cvm.stop();
  const error = await cloudFailure(
    provider(t, cvm).reboot(tencentTarget(GZ), reboot),
    'Unavailable',
    /ECONNREFUSED/,
  );
  assert.match(error.message, /after 3 attempts.*the request was not sent/);
  assert.doesNotMatch(error.message, /unknown/);
  assert.equal(error.outcome, 'not-acted');
});

test('credentials come from TENCENTCLOUD_SECRET_ID/KEY when none are given; with none anywhere nothing is sent', async (t) => {
  const cvm = await emulator(t);
  const fromEnv = provider(t, cvm, { credential: undefined, metadataDisabled: true });
  const error = await cloudFailure(
    fromEnv.reboot(tencentTarget(GZ), reboot),
    'AuthFailure',
    /environment: TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY not set.*TKE OIDC: TKE_ROLE_ARN.*CVM role: TENCENTCLOUD_METADATA_DISABLED/,
  );
  assert.equal(error.requestId, undefined);
  assert.equal(cvm.calls.length, 0);

  process.env['TENCENTCLOUD_SECRET_ID'] = TENCENT_KEY.secretId;
  process.env['TENCENTCLOUD_SECRET_KEY'] = TENCENT_KEY.secretKey;
  t.after(() => {
    delete process.env['TENCENTCLOUD_SECRET_ID'];
    delete process.env['TENCENTCLOUD_SECRET_KEY'];
  });
  await fromEnv.reboot(tencentTarget(GZ), reboot);
  assert.deepEqual(
    cvm.calls.map((c) => [c.action, c.accessKeyId, c.signatureValid]),
    [['RebootInstances', TENCENT_KEY.secretId, true]],
  );
});

test('a loopback endpoint URL works too (the SDK then signs for service "127")', async (t) => {
  const cvm = await emulator(t);
  const tencent = provider(t, cvm, { endpoint: `http://${cvm.endpoint}`, connectAddress: undefined });
  await tencent.reboot(tencentTarget(GZ), reboot);
  assert.match(cvm.calls[0]?.signingScope ?? '', /\/127\/tc3_request$/);
  assert.throws(
    () => new TencentProvider({ timeoutMs: 1000, maxAttempts: 1, endpoint: 'ftp://x/y' }),
    /endpoint/,
  );
});

test('stop is one StopInstances with the StopType and KEEP_CHARGING; start one StartInstances once STOPPED', async (t) => {
  const cvm = await emulator(t);
  const tencent = provider(t, cvm);
  const target = tencentTarget(SH, 'ap-shanghai');
  for (const [mode, StopType] of [
    ['Soft', 'SOFT'],
    ['Hard', 'HARD'],
    ['SoftFirst', 'SOFT_FIRST'],
  ] as const) {
    cvm.setInstanceState(SH, 'RUNNING');
    const result = await tencent.stop(target, { mode, dryRun: false });
    assert.match(result.requestId ?? '', UUID);
    assert.equal(cvm.instance(SH)?.latestOperationRequestId, result.requestId);
    const call = cvm.callsTo('StopInstances').at(-1);
    assert.deepEqual(call?.params, { InstanceIds: [SH], StopType, StoppedMode: 'KEEP_CHARGING' });
    assert.deepEqual([call?.region, call?.signatureValid], ['ap-shanghai', true]);
    assert.equal(cvm.instance(SH)?.state, 'STOPPING');
  }
  await cloudFailure(
    tencent.start(target, { dryRun: false }),
    'OperationInProgress',
    /UnsupportedOperation\.InstanceStateStopping/,
  );
  await waitFor(() => cvm.instance(SH)?.state === 'STOPPED', 2000, 'STOPPED');
  const started = await tencent.start(target, { dryRun: false });
  assert.match(started.requestId ?? '', UUID);
  assert.deepEqual(cvm.callsTo('StartInstances').at(-1)?.params, { InstanceIds: [SH] });
  assert.equal(cvm.instance(SH)?.state, 'STARTING');
  assert.equal(cvm.instance(GZ)?.state, 'RUNNING');
});

test('stop and start dry runs are a describe that needs RUNNING or STOPPED', async (t) => {
  const cvm = await emulator(t);
  const tencent = provider(t, cvm);
  const dry = await tencent.stop(tencentTarget(GZ), { mode: 'Hard', dryRun: true });
  assert.deepEqual(
    dry.dryRunReport?.checks.map((c) => c.name),
    ['Credentials', 'InstanceState', 'Authorization', 'Mode'],
  );
  assert.match(dry.dryRunReport?.checks[2]?.detail ?? '', /cvm:StopInstances/);
  assert.match(dry.dryRunReport?.checks[3]?.detail ?? '', /StopType HARD, StoppedMode KEEP_CHARGING/);
  await cloudFailure(
    tencent.start(tencentTarget(GZ), { dryRun: true }),
    'InvalidState',
    /it is RUNNING; only a STOPPED instance can be started/,
  );
  cvm.setInstanceState(GZ, 'STOPPED');
  assert.match((await tencent.start(tencentTarget(GZ), { dryRun: true })).requestId ?? '', UUID);
  assert.deepEqual(
    cvm.calls.map((c) => c.action),
    ['DescribeInstances', 'DescribeInstances', 'DescribeInstances'],
  );
});

test('a stop whose outcome is unknown is not repeated; InvalidInstanceState is a wrong state', async (t) => {
  const cvm = await emulator(t);
  const tencent = provider(t, cvm);
  cvm.inject({ action: 'StopInstances', fault: 'internal-error', times: Infinity });
  await cloudFailure(
    tencent.stop(tencentTarget(GZ), { mode: 'SoftFirst', dryRun: false }),
    'Unavailable',
    /whether StopInstances took effect is unknown, so it was not repeated/,
  );
  assert.equal(cvm.callsTo('StopInstances').length, 1);
  cvm.inject({ action: 'StartInstances', fault: 'error', code: 'InvalidInstanceState', message: 'no' });
  await cloudFailure(tencent.start(tencentTarget(GZ), { dryRun: false }), 'InvalidState');
});

test('a throttled reboot is repeated and carried out once; one CVM carried out before an error is not repeated', async (t) => {
  const cvm = await emulator(t);
  const tencent = provider(t, cvm);
  cvm.inject({ action: 'RebootInstances', fault: 'throttle', times: 2 });
  await tencent.reboot(tencentTarget(GZ), reboot);
  assert.equal(cvm.callsTo('RebootInstances').length, 3);
  assert.equal(cvm.executed('RebootInstances', GZ).length, 1);

  cvm.clearCalls();
  cvm.finishTransitions();
  cvm.inject({ action: 'StopInstances', fault: 'internal-error', afterExecuting: true });
  await cloudFailure(
    tencent.stop(tencentTarget(GZ), { mode: 'SoftFirst', dryRun: false }),
    'Unavailable',
    /InternalError.*whether StopInstances took effect is unknown, so it was not repeated/,
  );
  assert.equal(cvm.callsTo('StopInstances').length, 1);
  assert.equal(cvm.executed('StopInstances', GZ).length, 1);
});

test('a kept-alive connection CVM reset while idle fails the write, which sent nothing: repeated, carried out once', async (t) => {
  const cvm = await emulator(t);
  const tencent = provider(t, cvm);
  await tencent.describe(tencentTarget(GZ));
  assert.equal(cvm.resetIdleConnections(), 1);
  // The reset is in the client's kernel; its event loop has not seen it, so the SDK writes on the dead connection.
  await tencent.reboot(tencentTarget(GZ), reboot);
  assert.equal(cvm.callsTo('RebootInstances').length, 1);
  assert.equal(cvm.executed('RebootInstances', GZ).length, 1);
});

test('LimitExceeded is a quota refusal: not repeated, told as such, and nothing carried out', async (t) => {
  const cvm = await emulator(t);
  cvm.inject({ action: 'RebootInstances', fault: 'error', code: 'LimitExceeded', message: 'quota exceeded' });
  const error = await cloudFailure(
    provider(t, cvm).reboot(tencentTarget(GZ), reboot),
    'InvalidState',
    /quota is exceeded \(LimitExceeded: quota exceeded\); the cloud did not act on it/,
  );
  assert.doesNotMatch(error.message, /unknown/);
  assert.deepEqual([cvm.callsTo('RebootInstances').length, cvm.executed().length], [1, 0]);
});
