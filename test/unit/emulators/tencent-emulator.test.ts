import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startTencentEmulator,
  type TencentEmulator,
  type TencentEmulatorOptions,
} from '../../emulators/tencent/tencent-emulator.js';
import { ZONE_IDS } from '../../emulators/tencent/tencent-zones.js';
import {
  cvmClient,
  cvmClientWithProductionHost,
  isolateSdkEnvironment,
  TENCENT_KEY,
  waitFor,
} from './helpers.js';

isolateSdkEnvironment();

const GZ_1 = 'ins-r8hr2upy';
const GZ_2 = 'ins-5d8a23rs';
const SH_1 = 'ins-3ven36lk';

async function emulator(
  t: { after: (fn: () => Promise<void>) => void },
  extra: Partial<TencentEmulatorOptions> = {},
): Promise<TencentEmulator> {
  const tencent = await startTencentEmulator({
    credentials: {
      [TENCENT_KEY.secretId]: TENCENT_KEY.secretKey,
      AKIDTMP: { secret: 'tmpkey', sessionToken: 'tmp-token' },
      AKIDREADONLY: { secret: 'readonly', allowedActions: ['DescribeInstances', 'DescribeInstancesStatus'] },
    },
    instances: [
      {
        instanceId: GZ_1,
        region: 'ap-guangzhou',
        zone: 'ap-guangzhou-3',
        privateIpAddress: '10.0.0.12',
        tags: { role: 'worker' },
      },
      { instanceId: GZ_2, region: 'ap-guangzhou', zone: 'ap-guangzhou-6' },
      { instanceId: SH_1, region: 'ap-shanghai', zone: 'ap-shanghai-2' },
    ],
    rebootMs: 400,
    transitionMs: 300,
    ...extra,
  });
  t.after(() => tencent.stop());
  return tencent;
}

/** The SDK's error for API errors; it is not exported by the CVM package, so it is checked by shape. */
function isSdkError(code: string | undefined) {
  return (err: unknown) => {
    assert.ok(err instanceof Error);
    assert.equal(err.constructor.name, 'TencentCloudSDKHttpException');
    assert.equal((err as { code?: string }).code, code);
    return true;
  };
}

test('a correctly signed RebootInstances is accepted and recorded with instance, region and StopType', async (t) => {
  const tencent = await emulator(t);
  const out = await cvmClient(tencent).RebootInstances({ InstanceIds: [GZ_1, GZ_2], StopType: 'SOFT_FIRST' });
  assert.match(out.RequestId ?? '', /^[0-9a-f-]{36}$/);
  const [call] = tencent.callsTo('RebootInstances');
  assert.ok(call);
  assert.equal(call.region, 'ap-guangzhou');
  assert.equal(call.accessKeyId, TENCENT_KEY.secretId);
  assert.equal(call.signatureValid, true);
  // With endpoint 127.0.0.1:PORT the SDK signs for service "127" (the endpoint's first label).
  assert.match(call.signingScope ?? '', /^\d{4}-\d{2}-\d{2}\/127\/tc3_request$/);
  assert.deepEqual(call.params, { InstanceIds: [GZ_1, GZ_2], StopType: 'SOFT_FIRST' });
  assert.equal(tencent.instance(GZ_1)?.lastStopType, 'SOFT_FIRST');
  assert.equal(tencent.instance(GZ_1)?.latestOperationRequestId, out.RequestId);
});

test('with the production host name behind a loopback-only agent, the signing scope service is cvm', async (t) => {
  const tencent = await emulator(t);
  await cvmClientWithProductionHost(tencent).RebootInstances({ InstanceIds: [GZ_1] });
  assert.match(tencent.calls[0]?.signingScope ?? '', /^\d{4}-\d{2}-\d{2}\/cvm\/tc3_request$/);
  assert.equal(tencent.calls[0]?.signatureValid, true);
});

test('a wrong secret, an unknown SecretId and a wrong token get the AuthFailure codes, in an HTTP 200 body', async (t) => {
  const tencent = await emulator(t);
  await assert.rejects(
    cvmClient(tencent, { secretKey: 'wrong' }).RebootInstances({ InstanceIds: [GZ_1] }),
    (err: unknown) => {
      isSdkError('AuthFailure.SignatureFailure')(err);
      const e = err as { requestId: string; traceId: string; httpCode?: number };
      assert.match(e.requestId, /^[0-9a-f-]{36}$/);
      assert.match(e.traceId, /^[0-9a-f-]{36}$/);
      assert.equal(e.httpCode, undefined);
      return true;
    },
  );
  await assert.rejects(
    cvmClient(tencent, { secretId: 'AKIDNOBODY' }).RebootInstances({ InstanceIds: [GZ_1] }),
    isSdkError('AuthFailure.SecretIdNotFound'),
  );
  await assert.rejects(
    cvmClient(tencent, { secretId: 'AKIDTMP', secretKey: 'tmpkey', token: 'stale' }).RebootInstances({
      InstanceIds: [GZ_1],
    }),
    isSdkError('AuthFailure.TokenFailure'),
  );
  await cvmClient(tencent, {
    secretId: 'AKIDTMP',
    secretKey: 'tmpkey',
    token: 'tmp-token',
  }).DescribeInstances({});
  assert.deepEqual(
    tencent.calls.map((c) => [c.signatureValid, c.status, c.errorCode]),
    [
      [false, 200, 'AuthFailure.SignatureFailure'],
      [false, 200, 'AuthFailure.SecretIdNotFound'],
      [false, 200, 'AuthFailure.TokenFailure'],
      [true, 200, undefined],
    ],
  );
  assert.equal(tencent.instance(GZ_1)?.rebootCount, 0);
});

test('a key without the CAM permission gets AuthFailure.UnauthorizedOperation', async (t) => {
  const tencent = await emulator(t);
  const readOnly = cvmClient(tencent, { secretId: 'AKIDREADONLY', secretKey: 'readonly' });
  await assert.rejects(
    readOnly.RebootInstances({ InstanceIds: [GZ_1] }),
    isSdkError('AuthFailure.UnauthorizedOperation'),
  );
  assert.equal((await readOnly.DescribeInstancesStatus({})).TotalCount, 2);
});

test('unknown, foreign-region, malformed and too many instance ids get the CVM codes', async (t) => {
  const tencent = await emulator(t);
  const client = cvmClient(tencent);
  await assert.rejects(
    client.RebootInstances({ InstanceIds: [GZ_1, 'ins-aaaaaaaa'] }),
    isSdkError('InvalidInstanceId.NotFound'),
  );
  await assert.rejects(
    client.RebootInstances({ InstanceIds: [SH_1] }),
    isSdkError('InvalidInstanceId.NotFound'),
  );
  await assert.rejects(
    client.RebootInstances({ InstanceIds: ['ins-1122'] }),
    isSdkError('InvalidInstanceId.Malformed'),
  );
  const many = Array.from({ length: 101 }, (_, n) => `ins-${String(n).padStart(8, '0')}`);
  await assert.rejects(
    client.RebootInstances({ InstanceIds: many }),
    isSdkError('InvalidParameterValue.LimitExceeded'),
  );
  await assert.rejects(
    client.RebootInstances({ InstanceIds: [GZ_1], StopType: 'HARD', ForceReboot: true }),
    isSdkError('InvalidParameterCombination'),
  );
  await assert.rejects(
    client.RebootInstances({ InstanceIds: [GZ_1], StopType: 'NOW' as 'HARD' }),
    isSdkError('InvalidParameterValue'),
  );
  await assert.rejects(
    client.request('RebootInstances', { InstanceID: [GZ_1] }),
    isSdkError('UnknownParameter'),
  );
  assert.equal(tencent.instance(GZ_1)?.rebootCount, 0);
  // Describe* simply omit unknown well-formed ids.
  const described = await client.DescribeInstances({ InstanceIds: [GZ_1, 'ins-aaaaaaaa'] });
  assert.deepEqual(
    described.InstanceSet?.map((i) => i.InstanceId),
    [GZ_1],
  );
});

test('reboot goes RUNNING -> REBOOTING -> RUNNING, and a second reboot while REBOOTING is refused', async (t) => {
  const tencent = await emulator(t);
  const client = cvmClient(tencent);
  const reboot = await client.RebootInstances({ InstanceIds: [GZ_1] });
  const status = await client.DescribeInstancesStatus({ InstanceIds: [GZ_1, GZ_2] });
  assert.deepEqual(status.InstanceStatusSet, [
    { InstanceId: GZ_1, InstanceState: 'REBOOTING' },
    { InstanceId: GZ_2, InstanceState: 'RUNNING' },
  ]);
  const during = (await client.DescribeInstances({ InstanceIds: [GZ_1] })).InstanceSet?.[0];
  assert.equal(during?.LatestOperation, 'RebootInstances');
  assert.equal(during?.LatestOperationState, 'OPERATING');
  assert.equal(during?.LatestOperationRequestId, reboot.RequestId);

  await assert.rejects(
    client.RebootInstances({ InstanceIds: [GZ_1] }),
    isSdkError('UnsupportedOperation.InstanceStateRebooting'),
  );
  // The refused batch did not reboot the other instance either.
  await assert.rejects(
    client.RebootInstances({ InstanceIds: [GZ_2, GZ_1] }),
    isSdkError('UnsupportedOperation.InstanceStateRebooting'),
  );
  assert.equal(tencent.instance(GZ_2)?.rebootCount, 0);

  await waitFor(() => tencent.instance(GZ_1)?.state === 'RUNNING', 2000, 'RUNNING again');
  const after = (await client.DescribeInstances({ InstanceIds: [GZ_1] })).InstanceSet?.[0];
  assert.equal(after?.InstanceState, 'RUNNING');
  assert.equal(after?.LatestOperationState, 'SUCCESS');
  assert.equal(tencent.instance(GZ_1)?.rebootCount, 1);
});

test('stop and start move through STOPPING/STOPPED and STARTING/RUNNING with per-state refusals', async (t) => {
  const tencent = await emulator(t);
  const client = cvmClient(tencent);
  await client.StopInstances({ InstanceIds: [GZ_1], StopType: 'SOFT_FIRST', StoppedMode: 'STOP_CHARGING' });
  assert.equal(tencent.instance(GZ_1)?.state, 'STOPPING');
  assert.equal(tencent.instance(GZ_1)?.lastStoppedMode, 'STOP_CHARGING');
  await assert.rejects(
    client.StartInstances({ InstanceIds: [GZ_1] }),
    isSdkError('UnsupportedOperation.InstanceStateStopping'),
  );
  await waitFor(() => tencent.instance(GZ_1)?.state === 'STOPPED', 2000, 'STOPPED');
  await assert.rejects(
    client.RebootInstances({ InstanceIds: [GZ_1] }),
    isSdkError('UnsupportedOperation.InstanceStateStopped'),
  );
  await client.StartInstances({ InstanceIds: [GZ_1] });
  assert.equal(tencent.instance(GZ_1)?.state, 'STARTING');
  tencent.finishTransitions();
  assert.equal(
    (await client.DescribeInstancesStatus({ InstanceIds: [GZ_1] })).InstanceStatusSet?.[0]?.InstanceState,
    'RUNNING',
  );
  await assert.rejects(
    client.StartInstances({ InstanceIds: [GZ_1] }),
    isSdkError('UnsupportedOperation.InstanceStateRunning'),
  );
});

test('DescribeInstances filters by private IP, zone and tag', async (t) => {
  const tencent = await emulator(t);
  const client = cvmClient(tencent);
  const byIp = await client.DescribeInstances({
    Filters: [{ Name: 'private-ip-address', Values: ['10.0.0.12'] }],
    Offset: 0,
    Limit: 100,
  });
  assert.equal(byIp.TotalCount, 1);
  const instance = byIp.InstanceSet?.[0];
  assert.equal(instance?.InstanceId, GZ_1);
  assert.equal(instance?.Placement?.Zone, 'ap-guangzhou-3');
  assert.deepEqual(instance?.Tags, [{ Key: 'role', Value: 'worker' }]);
  const byZone = await client.DescribeInstances({ Filters: [{ Name: 'zone', Values: ['ap-guangzhou-6'] }] });
  assert.deepEqual(
    byZone.InstanceSet?.map((i) => i.InstanceId),
    [GZ_2],
  );
  const byTag = await client.DescribeInstances({ Filters: [{ Name: 'tag:role', Values: ['worker'] }] });
  assert.deepEqual(
    byTag.InstanceSet?.map((i) => i.InstanceId),
    [GZ_1],
  );
  await assert.rejects(
    client.DescribeInstances({ InstanceIds: [GZ_1], Filters: [{ Name: 'zone', Values: ['x'] }] }),
    isSdkError('InvalidParameter'),
  );
  await assert.rejects(
    client.DescribeInstances({ Filters: [{ Name: 'bogus', Values: ['x'] }] }),
    isSdkError('InvalidFilter'),
  );
});

test('DescribeZones returns the zone-id table for each region, with string ZoneIds', async (t) => {
  const tencent = await emulator(t);
  const regions = [...new Set(ZONE_IDS.map(([, zone]) => zone.replace(/-\d+$/, '')))];
  for (const region of regions) {
    const zones = await cvmClient(tencent, { region }).DescribeZones();
    const expected = ZONE_IDS.filter(([, zone]) => zone.replace(/-\d+$/, '') === region);
    assert.deepEqual(
      zones.ZoneSet?.map((z) => [z.ZoneId, z.Zone]),
      expected.map(([id, zone]) => [id, zone]),
      region,
    );
    assert.equal(zones.TotalCount, expected.length);
  }
  const guangzhou = await cvmClient(tencent).DescribeZones();
  assert.deepEqual(
    guangzhou.ZoneSet?.find((z) => z.ZoneId === '100003'),
    {
      Zone: 'ap-guangzhou-3',
      ZoneName: 'Guangzhou Zone 3',
      ZoneId: '100003',
      ZoneState: 'AVAILABLE',
    },
  );
  const shanghai = await cvmClient(tencent, { region: 'ap-shanghai' }).DescribeZones();
  assert.equal(shanghai.ZoneSet?.find((z) => z.Zone === 'ap-shanghai-2')?.ZoneId, '200002');
  const listed = await cvmClient(tencent).DescribeRegions();
  assert.deepEqual(listed.RegionSet?.map((r) => r.Region).sort(), regions.sort());
  assert.equal(listed.RegionSet?.find((r) => r.Region === 'ap-guangzhou')?.RegionState, 'AVAILABLE');
});

test('a request without a region, or for an unknown region, is refused', async (t) => {
  const tencent = await emulator(t);
  await assert.rejects(
    cvmClient(tencent, { region: '' }).DescribeInstances({}),
    isSdkError('MissingParameter'),
  );
  await assert.rejects(
    cvmClient(tencent, { region: 'mars-north-1' }).DescribeInstances({}),
    isSdkError('UnsupportedRegion'),
  );
});
