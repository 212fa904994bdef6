import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { resolveCloudLocation } from '../../../../src/cloud/registry/location.js';
import { cloudOptionsFromEnv } from '../../../../src/cloud/registry/options.js';
import {
  CLOUD_PROVIDERS,
  type CloudProvider,
  type CloudTarget,
} from '../../../../src/cloud/contract/provider.js';
import { CloudRegistry } from '../../../../src/cloud/registry/cloud-registry.js';
import { CloudModule } from '../../../../src/cloud/cloud.module.js';
import { parseProviderID } from '../../../../src/cloud/registry/provider-id.js';
import type { SimulatedProvider } from '../../../../src/cloud/simulated/simulated-provider.js';
import { startEc2Emulator } from '../../../emulators/ec2/ec2-emulator.js';
import { startTencentEmulator } from '../../../emulators/tencent/tencent-emulator.js';
import { AWS_KEY, cloudFailure, isolateCloudEnvironment, TENCENT_KEY, UUID } from './helpers.js';

isolateCloudEnvironment();
Logger.overrideLogger(false);

type TestContext = { after: (fn: () => void | Promise<void>) => void };

async function registry(t: TestContext, options?: Parameters<typeof CloudModule.forRoot>[0]) {
  const moduleRef = await Test.createTestingModule({ imports: [CloudModule.forRoot(options)] }).compile();
  await moduleRef.init();
  t.after(() => moduleRef.close());
  return {
    registry: moduleRef.get(CloudRegistry),
    providers: moduleRef.get<CloudProvider[]>(CLOUD_PROVIDERS),
  };
}

test('a disabled cloud gives a clear error saying why and how to enable it', async (t) => {
  const { registry: clouds, providers } = await registry(t, cloudOptionsFromEnv({ TENCENT_CLOUD: 'true' }));
  assert.deepEqual(
    providers.map((p) => p.cloud),
    ['tencent'],
  );
  assert.deepEqual(clouds.enabledClouds, ['tencent']);
  assert.equal(clouds.get('tencent').cloud, 'tencent');
  assert.equal(typeof clouds.lookups('tencent').zoneById, 'function');
  assert.deepEqual(clouds.lookups('aws'), {});
  assert.equal(clouds.find('aws'), undefined);
  const error = await cloudFailure(
    Promise.resolve().then(() => clouds.get('aws')),
    'Unsupported',
    /cloud aws \(AWS EC2\) is not enabled on this server \(no AWS credentials or configuration found\): to restart its nodes, configure its credentials or set AWS_CLOUD=true/,
  );
  assert.equal(error.cloud, 'aws');
  await cloudFailure(
    Promise.resolve().then(() => clouds.get('simulated')),
    'Unsupported',
    /SIMULATED_CLOUD=true/,
  );
});

test('one server with every cloud enabled by the environment restarts a mixed set of nodes', async (t) => {
  const ec2 = await startEc2Emulator({
    credentials: { [AWS_KEY.accessKeyId]: AWS_KEY.secretAccessKey },
    instances: [
      { instanceId: 'i-0123456789abcdef0', region: 'us-east-1', availabilityZone: 'us-east-1a' },
      { instanceId: 'i-0aaaaaaaaaaaaaaa1', region: 'eu-west-1', availabilityZone: 'eu-west-1b' },
    ],
  });
  t.after(() => ec2.stop());
  const cvm = await startTencentEmulator({
    credentials: { [TENCENT_KEY.secretId]: TENCENT_KEY.secretKey },
    instances: [
      { instanceId: 'ins-r8hr2upy', region: 'ap-guangzhou', zone: 'ap-guangzhou-3' },
      { instanceId: 'ins-3ven36lk', region: 'ap-shanghai', zone: 'ap-shanghai-2' },
    ],
  });
  t.after(() => cvm.stop());
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: AWS_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS_KEY.secretAccessKey,
    AWS_ENDPOINT_URL_EC2: ec2.url,
    TENCENTCLOUD_SECRET_ID: TENCENT_KEY.secretId,
    TENCENTCLOUD_SECRET_KEY: TENCENT_KEY.secretKey,
    TENCENTCLOUD_ENDPOINT: `http://${cvm.endpoint}`,
    SIMULATED_CLOUD: 'true',
    CLOUD_TIMEOUT: '5s',
  });
  const { registry: clouds, providers } = await registry(t);
  assert.deepEqual(clouds.enabledClouds, ['aws', 'tencent', 'simulated']);

  const nodes = {
    'aws-east': 'aws:///us-east-1a/i-0123456789abcdef0',
    'aws-west': 'aws:///eu-west-1b/i-0aaaaaaaaaaaaaaa1',
    'tke-gz': 'qcloud:///100003/ins-r8hr2upy',
    'tencent-sh': 'tencentcloud:///ap-shanghai-2/ins-3ven36lk',
    sim: 'simulated:///sim-east-1/sim-east-1a/sim-node-1',
  };
  const results = await Promise.all(
    Object.entries(nodes).map(async ([nodeName, providerID]) => {
      const parsed = parseProviderID(providerID);
      assert.ok(parsed.kind === 'ok', providerID);
      const located = await resolveCloudLocation(parsed.identity, {}, clouds.lookups(parsed.identity.cloud));
      assert.ok(located.kind === 'resolved', providerID);
      const target: CloudTarget = { ...located.identity, nodeName };
      const result = await clouds.get(target.cloud).reboot(target, { mode: 'SoftFirst', dryRun: false });
      return [nodeName, target.region, target.regionSource, result.mode, result.requestId] as const;
    }),
  );
  assert.deepEqual(
    results.map(([node, region, source, mode]) => [node, region, source, mode]),
    [
      ['aws-east', 'us-east-1', 'providerID', 'SoftFirst'],
      ['aws-west', 'eu-west-1', 'providerID', 'SoftFirst'],
      ['tke-gz', 'ap-guangzhou', 'zoneLookup', 'SoftFirst'],
      ['tencent-sh', 'ap-shanghai', 'providerID', 'SoftFirst'],
      ['sim', 'sim-east-1', 'providerID', 'SoftFirst'],
    ],
  );
  for (const [node, , , , requestId] of results) {
    assert.match(requestId ?? '', node === 'sim' ? /^sim-/ : UUID, node);
  }
  assert.deepEqual(
    ec2
      .callsTo('RebootInstances')
      .map((c) => [c.region, c.params['InstanceId']])
      .sort(),
    [
      ['eu-west-1', ['i-0aaaaaaaaaaaaaaa1']],
      ['us-east-1', ['i-0123456789abcdef0']],
    ],
  );
  assert.deepEqual(
    cvm
      .callsTo('RebootInstances')
      .map((c) => [c.region, c.params])
      .sort(),
    [
      ['ap-guangzhou', { InstanceIds: ['ins-r8hr2upy'], StopType: 'SOFT_FIRST' }],
      ['ap-shanghai', { InstanceIds: ['ins-3ven36lk'], StopType: 'SOFT_FIRST' }],
    ],
  );
  const simulated = providers.find((p) => p.cloud === 'simulated') as SimulatedProvider;
  assert.equal(simulated.instance('sim-node-1')?.state, 'REBOOTING');
});
