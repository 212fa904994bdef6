// Cloud call metrics from the real providers against the emulators: each API call is observed once, with its
// action and outcome, however the provider ends it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsProvider } from '../../../src/cloud/aws/aws-provider.js';
import { TencentProvider } from '../../../src/cloud/tencent/tencent-provider.js';
import { cloudCallMetrics } from '../../../src/metrics/cloud-call-metrics.js';
import { MetricsRegistry } from '../../../src/metrics/metrics-registry.js';
import { startEc2Emulator } from '../../emulators/ec2/ec2-emulator.js';
import { startTencentEmulator } from '../../emulators/tencent/tencent-emulator.js';
import {
  AWS_KEY,
  awsTarget,
  isolateCloudEnvironment,
  TENCENT_KEY,
  tencentTarget,
} from '../cloud/providers/helpers.js';
import { parseMetrics, sampleValue } from '../../support/metrics.js';

isolateCloudEnvironment();

const EC2_INSTANCE = 'i-0123456789abcdef0';
const CVM_INSTANCE = 'ins-r8hr2upy';

async function counts(metrics: MetricsRegistry) {
  const samples = parseMetrics(await metrics.registry.metrics());
  return (labels: Record<string, string>) => ({
    total: sampleValue(samples, 'cloud_node_manager_cloud_api_requests_total', labels),
    timed: sampleValue(samples, 'cloud_node_manager_cloud_api_request_duration_seconds_count', {
      cloud: labels.cloud!,
      action: labels.action!,
    }),
  });
}

test('EC2: a dry run is two successful calls (DryRunOperation is success); a missing instance its kind', async (t) => {
  const ec2 = await startEc2Emulator({
    credentials: { [AWS_KEY.accessKeyId]: AWS_KEY.secretAccessKey },
    instances: [{ instanceId: EC2_INSTANCE, region: 'us-east-1', availabilityZone: 'us-east-1a' }],
  });
  t.after(() => ec2.stop());
  const metrics = new MetricsRegistry();
  const aws = new AwsProvider({
    timeoutMs: 5000,
    maxAttempts: 1,
    endpoint: ec2.url,
    credentials: AWS_KEY,
    observer: cloudCallMetrics(metrics.registry),
  });
  t.after(() => aws.close());

  await aws.reboot(awsTarget(EC2_INSTANCE), { mode: 'SoftFirst', dryRun: true });
  await assert.rejects(aws.describe(awsTarget('i-0000000000000dead')), { kind: 'InstanceNotFound' });

  const count = await counts(metrics);
  assert.deepEqual(count({ cloud: 'aws', action: 'RebootInstances', outcome: 'success' }), {
    total: 1,
    timed: 1,
  });
  assert.deepEqual(count({ cloud: 'aws', action: 'DescribeInstances', outcome: 'success' }), {
    total: 1,
    timed: 2,
  });
  assert.equal(count({ cloud: 'aws', action: 'DescribeInstances', outcome: 'InstanceNotFound' }).total, 1);
});

test('CVM: a reboot is one RebootInstances; a throttled call retried to success is one successful call', async (t) => {
  const cvm = await startTencentEmulator({
    credentials: { [TENCENT_KEY.secretId]: TENCENT_KEY.secretKey },
    instances: [{ instanceId: CVM_INSTANCE, region: 'ap-guangzhou', zone: 'ap-guangzhou-3' }],
    rebootMs: 300,
  });
  t.after(() => cvm.stop());
  const metrics = new MetricsRegistry();
  const tencent = new TencentProvider({
    timeoutMs: 5000,
    maxAttempts: 3,
    endpoint: `http://cvm.tencentcloudapi.com:${cvm.port}`,
    connectAddress: '127.0.0.1',
    credential: TENCENT_KEY,
    backoff: { baseDelayMs: 10, maxDelayMs: 20 },
    observer: cloudCallMetrics(metrics.registry),
  });
  t.after(() => tencent.close());

  cvm.inject({ action: 'DescribeInstances', fault: 'throttle', times: 1 });
  await tencent.describe(tencentTarget(CVM_INSTANCE));
  assert.equal(cvm.callsTo('DescribeInstances').length, 2, 'throttled once, then answered');
  await tencent.reboot(tencentTarget(CVM_INSTANCE), { mode: 'SoftFirst', dryRun: false });

  const count = await counts(metrics);
  for (const action of ['DescribeInstances', 'RebootInstances'])
    assert.deepEqual(count({ cloud: 'tencent', action, outcome: 'success' }), { total: 1, timed: 1 }, action);
});
