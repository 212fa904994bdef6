import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  EC2Client,
  EC2ServiceException,
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { startEc2Emulator, type Ec2Emulator } from '../../emulators/ec2/ec2-emulator.js';
import type { Ec2InstanceSeed } from '../../emulators/ec2/ec2-instances.js';
import { AWS_KEY, ec2Client, isolateSdkEnvironment, waitFor } from './helpers.js';

isolateSdkEnvironment();

const NODE_1 = 'i-0123456789abcdef0';
const NODE_2 = 'i-0fedcba9876543210';
const WEST = 'i-0aaaaaaaaaaaaaaa1';

const INSTANCES: Ec2InstanceSeed[] = [
  {
    instanceId: NODE_1,
    region: 'us-east-1',
    availabilityZone: 'us-east-1a',
    privateIpAddress: '10.0.0.157',
    tags: { Name: 'node-1' },
  },
  { instanceId: NODE_2, region: 'us-east-1', availabilityZone: 'us-east-1b', tags: { Name: 'node-2' } },
  { instanceId: WEST, region: 'us-west-2' },
];

async function emulator(
  t: { after: (fn: () => Promise<void>) => void },
  extra: Partial<Parameters<typeof startEc2Emulator>[0]> = {},
): Promise<Ec2Emulator> {
  const ec2 = await startEc2Emulator({
    credentials: {
      [AWS_KEY.accessKeyId]: AWS_KEY.secretAccessKey,
      ASIATEMPORARY: { secret: 'temporary-secret', sessionToken: 'session-token-1' },
      AKIDREADONLY: { secret: 'readonly-secret', allowedActions: ['DescribeInstances'] },
    },
    instances: INSTANCES,
    transitionMs: 300,
    ...extra,
  });
  t.after(() => ec2.stop());
  return ec2;
}

test('a correctly signed RebootInstances is accepted, recorded, and leaves the instance running', async (t) => {
  const ec2 = await emulator(t);
  const out = await ec2Client(ec2).send(new RebootInstancesCommand({ InstanceIds: [NODE_1, NODE_2] }));
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.equal(out.$metadata.attempts, 1);
  assert.match(out.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  const [call] = ec2.callsTo('RebootInstances');
  assert.ok(call);
  assert.equal(call.region, 'us-east-1');
  assert.equal(call.accessKeyId, AWS_KEY.accessKeyId);
  assert.equal(call.signatureValid, true);
  assert.match(call.signingScope ?? '', /^\d{8}\/us-east-1\/ec2\/aws4_request$/);
  assert.deepEqual(call.params['InstanceId'], [NODE_1, NODE_2]);
  assert.equal(call.attempt, 1);
  assert.equal(call.status, 200);
  assert.equal(ec2.instance(NODE_1)?.state, 'running');
  assert.equal(ec2.instance(NODE_1)?.rebootCount, 1);
  assert.equal(ec2.instance(NODE_2)?.rebootCount, 1);
});

test('temporary credentials need the matching session token', async (t) => {
  const ec2 = await emulator(t);
  const withToken = ec2Client(ec2, {
    credentials: {
      accessKeyId: 'ASIATEMPORARY',
      secretAccessKey: 'temporary-secret',
      sessionToken: 'session-token-1',
    },
  });
  await withToken.send(new RebootInstancesCommand({ InstanceIds: [NODE_1] }));
  const wrongToken = ec2Client(ec2, {
    credentials: { accessKeyId: 'ASIATEMPORARY', secretAccessKey: 'temporary-secret', sessionToken: 'other' },
  });
  await assert.rejects(wrongToken.send(new RebootInstancesCommand({ InstanceIds: [NODE_1] })), {
    name: 'AuthFailure',
    $fault: 'client',
  });
  const noToken = ec2Client(ec2, {
    credentials: { accessKeyId: 'ASIATEMPORARY', secretAccessKey: 'temporary-secret' },
  });
  await assert.rejects(noToken.send(new RebootInstancesCommand({ InstanceIds: [NODE_1] })), {
    name: 'AuthFailure',
  });
  assert.equal(ec2.instance(NODE_1)?.rebootCount, 1);
});

test('a wrong secret is rejected with SignatureDoesNotMatch, not retried, and recorded as invalid', async (t) => {
  const ec2 = await emulator(t);
  const client = ec2Client(ec2, { credentials: { ...AWS_KEY, secretAccessKey: 'not-the-secret' } });
  await assert.rejects(client.send(new RebootInstancesCommand({ InstanceIds: [NODE_1] })), (err: unknown) => {
    assert.ok(err instanceof EC2ServiceException);
    assert.equal(err.name, 'SignatureDoesNotMatch');
    assert.equal(err.$fault, 'client');
    assert.equal(err.$metadata.httpStatusCode, 403);
    assert.equal(err.$metadata.attempts, 1);
    return true;
  });
  assert.equal(ec2.calls.length, 1);
  assert.equal(ec2.calls[0]?.signatureValid, false);
  assert.equal(ec2.calls[0]?.errorCode, 'SignatureDoesNotMatch');
  assert.equal(ec2.instance(NODE_1)?.rebootCount, 0);
});

test('an unknown access key is rejected with AuthFailure (401)', async (t) => {
  const ec2 = await emulator(t);
  const client = ec2Client(ec2, { credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } });
  await assert.rejects(client.send(new DescribeInstancesCommand({})), (err: unknown) => {
    assert.ok(err instanceof EC2ServiceException);
    assert.equal(err.name, 'AuthFailure');
    assert.equal(err.$metadata.httpStatusCode, 401);
    return true;
  });
});

test('unknown, foreign-region and malformed instance ids get the EC2 not-found and malformed codes', async (t) => {
  const ec2 = await emulator(t);
  const client = ec2Client(ec2);
  await assert.rejects(
    client.send(new RebootInstancesCommand({ InstanceIds: [NODE_1, 'i-0000000000000dead'] })),
    {
      name: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-0000000000000dead' does not exist",
    },
  );
  await assert.rejects(client.send(new RebootInstancesCommand({ InstanceIds: [WEST] })), {
    name: 'InvalidInstanceID.NotFound',
  });
  await assert.rejects(client.send(new RebootInstancesCommand({ InstanceIds: ['i-123'] })), {
    name: 'InvalidInstanceID.Malformed',
    message: 'Invalid id: "i-123"',
  });
  // A failed batch changes nothing.
  assert.equal(ec2.instance(NODE_1)?.rebootCount, 0);
  await ec2Client(ec2, { region: 'us-west-2' }).send(new RebootInstancesCommand({ InstanceIds: [WEST] }));
  assert.equal(ec2.instance(WEST)?.rebootCount, 1);
});

test('DryRun answers DryRunOperation (412) without rebooting; a key without the permission gets UnauthorizedOperation', async (t) => {
  const ec2 = await emulator(t);
  await assert.rejects(
    ec2Client(ec2).send(new RebootInstancesCommand({ InstanceIds: [NODE_1], DryRun: true })),
    (err: unknown) => {
      assert.ok(err instanceof EC2ServiceException);
      assert.equal(err.name, 'DryRunOperation');
      assert.equal(err.message, 'Request would have succeeded, but DryRun flag is set.');
      assert.equal(err.$metadata.httpStatusCode, 412);
      assert.equal(err.$metadata.attempts, 1);
      return true;
    },
  );
  assert.equal(ec2.instance(NODE_1)?.rebootCount, 0);
  assert.equal(ec2.calls[0]?.params['DryRun'], 'true');

  const readOnly = ec2Client(ec2, {
    credentials: { accessKeyId: 'AKIDREADONLY', secretAccessKey: 'readonly-secret' },
  });
  for (const DryRun of [true, false]) {
    await assert.rejects(
      readOnly.send(new RebootInstancesCommand({ InstanceIds: [NODE_1], DryRun })),
      (err: unknown) => {
        assert.ok(err instanceof EC2ServiceException);
        assert.equal(err.name, 'UnauthorizedOperation');
        assert.equal(err.$metadata.httpStatusCode, 403);
        return true;
      },
    );
  }
  const described = await readOnly.send(new DescribeInstancesCommand({ InstanceIds: [NODE_1] }));
  assert.equal(described.Reservations?.[0]?.Instances?.[0]?.InstanceId, NODE_1);
  assert.equal(ec2.instance(NODE_1)?.rebootCount, 0);
});

test('stop and start move through stopping/stopped and pending/running; a stopped instance cannot be rebooted', async (t) => {
  const ec2 = await emulator(t);
  const client = ec2Client(ec2);
  const stopped = await client.send(new StopInstancesCommand({ InstanceIds: [NODE_1] }));
  assert.deepEqual(stopped.StoppingInstances, [
    {
      InstanceId: NODE_1,
      CurrentState: { Code: 64, Name: 'stopping' },
      PreviousState: { Code: 16, Name: 'running' },
    },
  ]);
  const state = async () =>
    (await client.send(new DescribeInstancesCommand({ InstanceIds: [NODE_1] }))).Reservations?.[0]
      ?.Instances?.[0]?.State?.Name;
  assert.equal(await state(), 'stopping');
  await waitFor(() => ec2.instance(NODE_1)?.state === 'stopped', 2000, 'stopped');
  assert.equal(await state(), 'stopped');
  await assert.rejects(client.send(new RebootInstancesCommand({ InstanceIds: [NODE_1] })), {
    name: 'IncorrectInstanceState',
  });

  const started = await client.send(new StartInstancesCommand({ InstanceIds: [NODE_1] }));
  assert.deepEqual(started.StartingInstances?.[0]?.CurrentState, { Code: 0, Name: 'pending' });
  assert.deepEqual(started.StartingInstances?.[0]?.PreviousState, { Code: 80, Name: 'stopped' });
  ec2.finishTransitions();
  assert.equal(await state(), 'running');
});

test('DescribeInstances filters by private DNS name and tags; DescribeInstanceStatus reports checks', async (t) => {
  const ec2 = await emulator(t);
  const client = ec2Client(ec2);
  const byDns = await client.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: 'private-dns-name', Values: ['ip-10-0-0-157.ec2.internal'] },
        { Name: 'instance-state-name', Values: ['running', 'stopped'] },
      ],
    }),
  );
  const instance = byDns.Reservations?.[0]?.Instances?.[0];
  assert.equal(byDns.Reservations?.length, 1);
  assert.equal(instance?.InstanceId, NODE_1);
  assert.equal(instance?.Placement?.AvailabilityZone, 'us-east-1a');
  assert.deepEqual(instance?.Tags, [{ Key: 'Name', Value: 'node-1' }]);
  assert.ok(instance?.LaunchTime instanceof Date);
  const byTag = await client.send(
    new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['node-*'] }] }),
  );
  assert.deepEqual(
    byTag.Reservations?.map((r) => r.Instances?.[0]?.InstanceId),
    [NODE_1, NODE_2],
  );
  await assert.rejects(
    client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] })),
    {
      name: 'InvalidParameterValue',
    },
  );

  ec2.setInstanceState(NODE_2, 'stopped');
  const running = await client.send(new DescribeInstanceStatusCommand({}));
  assert.deepEqual(
    running.InstanceStatuses?.map((s) => s.InstanceId),
    [NODE_1],
  );
  assert.equal(running.InstanceStatuses?.[0]?.InstanceStatus?.Status, 'ok');
  assert.deepEqual(running.InstanceStatuses?.[0]?.SystemStatus?.Details, [
    { Name: 'reachability', Status: 'passed' },
  ]);
  const all = await client.send(new DescribeInstanceStatusCommand({ IncludeAllInstances: true }));
  assert.deepEqual(
    all.InstanceStatuses?.map((s) => [s.InstanceId, s.InstanceState?.Name, s.InstanceStatus?.Status]),
    [
      [NODE_1, 'running', 'ok'],
      [NODE_2, 'stopped', 'not-applicable'],
    ],
  );
});

test('the SDK finds the emulator through AWS_ENDPOINT_URL_EC2 with no endpoint in code', async (t) => {
  const ec2 = await emulator(t);
  process.env['AWS_ENDPOINT_URL_EC2'] = ec2.url;
  t.after(() => delete process.env['AWS_ENDPOINT_URL_EC2']);
  const client = new EC2Client({ region: 'us-east-1', credentials: AWS_KEY });
  await client.send(new RebootInstancesCommand({ InstanceIds: [NODE_1] }));
  assert.equal(ec2.callsTo('RebootInstances').length, 1);
  assert.equal(ec2.instance(NODE_1)?.rebootCount, 1);
});
