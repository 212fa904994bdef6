// The real providers against the emulators, behind the pacing every caller of the registry gets.
import { AwsProvider } from '../../../../src/cloud/aws/aws-provider.js';
import { awsPlugin } from '../../../../src/cloud/aws/index.js';
import type { CloudProvider } from '../../../../src/cloud/contract/provider.js';
import {
  type PacedCloud,
  pacedProvider,
  type PacingOptions,
} from '../../../../src/cloud/pacing/paced-provider.js';
import { tencentPlugin } from '../../../../src/cloud/tencent/index.js';
import { TencentProvider } from '../../../../src/cloud/tencent/tencent-provider.js';
import { startEc2Emulator } from '../../../emulators/ec2/ec2-emulator.js';
import { startTencentEmulator } from '../../../emulators/tencent/tencent-emulator.js';
import { AWS_KEY, TENCENT_KEY, tencentEmulatorOptions } from '../providers/helpers.js';

type TestContext = { after: (fn: () => void | Promise<void>) => void };

export const PACING: PacingOptions = { timeoutMs: 5000, batchWindowMs: 10 };

/** EC2 ids i-0c00000000000000N, all in us-east-1. */
export const ec2Id = (n: number) => `i-0c${n.toString(16).padStart(15, '0')}`;
/** CVM ids ins-0000000N, all in ap-guangzhou. */
export const cvmId = (n: number) => `ins-${n.toString().padStart(8, '0')}`;

/** Seeds for instances 1 to count. */
const numbered = <T>(count: number, seed: (n: number) => T): T[] =>
  Array.from({ length: count }, (_, n) => seed(n + 1));

/** The emulator, and the provider it makes behind the cloud's pacing; both stopped after the test. */
async function paced<E extends { stop(): Promise<void> }>(
  t: TestContext,
  cloud: PacedCloud,
  started: Promise<E>,
  pacing: Partial<PacingOptions>,
  make: (emulator: E, timeoutMs: number) => CloudProvider,
): Promise<{ emulator: E; provider: CloudProvider }> {
  const emulator = await started;
  t.after(() => emulator.stop());
  const options = { ...PACING, ...pacing };
  const provider = pacedProvider(make(emulator, options.timeoutMs), cloud, options);
  t.after(() => provider.close?.());
  return { emulator, provider };
}

const ec2Instance = (n: number) => ({
  instanceId: ec2Id(n),
  region: 'us-east-1',
  availabilityZone: 'us-east-1a',
});
const cvmInstance = (n: number) => ({ instanceId: cvmId(n), region: 'ap-guangzhou', zone: 'ap-guangzhou-3' });

/** `count` EC2 instances, and an AwsProvider for them behind pacing. */
export async function pacedEc2(t: TestContext, count: number, pacing: Partial<PacingOptions> = {}) {
  const credentials = { [AWS_KEY.accessKeyId]: AWS_KEY.secretAccessKey };
  const started = startEc2Emulator({ credentials, instances: numbered(count, ec2Instance) });
  const { emulator: ec2, provider: aws } = await paced(t, awsPlugin, started, pacing, (ec2, timeoutMs) => {
    return new AwsProvider({ timeoutMs, maxAttempts: 3, endpoint: ec2.url, credentials: AWS_KEY });
  });
  return { ec2, aws };
}

/** `count` CVM instances, and a TencentProvider for them behind pacing. */
export async function pacedCvm(t: TestContext, count: number, pacing: Partial<PacingOptions> = {}) {
  const credentials = { [TENCENT_KEY.secretId]: TENCENT_KEY.secretKey };
  const started = startTencentEmulator({
    credentials,
    instances: numbered(count, cvmInstance),
    rebootMs: 300,
  });
  const { emulator: cvm, provider: tencent } = await paced(
    t,
    tencentPlugin,
    started,
    pacing,
    (cvm, timeoutMs) => {
      return new TencentProvider({ ...tencentEmulatorOptions(cvm.port), timeoutMs });
    },
  );
  return { cvm, tencent };
}
