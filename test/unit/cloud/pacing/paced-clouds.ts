// The real providers against the emulators, behind the pacing every caller of the registry gets.
import { AwsProvider } from '../../../../src/cloud/aws/aws-provider.js';
import type { CloudProvider } from '../../../../src/cloud/cloud-provider.js';
import { pacedProvider, type PacingOptions } from '../../../../src/cloud/pacing/paced-provider.js';
import { TencentProvider } from '../../../../src/cloud/tencent/tencent-provider.js';
import { startEc2Emulator, type Ec2Emulator } from '../../../emulators/ec2/ec2-emulator.js';
import { startTencentEmulator, type TencentEmulator } from '../../../emulators/tencent/tencent-emulator.js';
import { AWS_KEY, TENCENT_KEY } from '../providers/helpers.js';

type TestContext = { after: (fn: () => void | Promise<void>) => void };

export const PACING: PacingOptions = { timeoutMs: 5000, batchWindowMs: 10 };

/** EC2 ids i-0c00000000000000N, all in us-east-1. */
export const ec2Id = (n: number) => `i-0c${n.toString(16).padStart(15, '0')}`;
/** CVM ids ins-0000000N, all in ap-guangzhou. */
export const cvmId = (n: number) => `ins-${n.toString().padStart(8, '0')}`;

export async function pacedEc2(t: TestContext, count: number, pacing: Partial<PacingOptions> = {}) {
  const ec2: Ec2Emulator = await startEc2Emulator({
    credentials: { [AWS_KEY.accessKeyId]: AWS_KEY.secretAccessKey },
    instances: Array.from({ length: count }, (_, n) => ({
      instanceId: ec2Id(n + 1),
      region: 'us-east-1',
      availabilityZone: 'us-east-1a',
    })),
  });
  t.after(() => ec2.stop());
  const options = { ...PACING, ...pacing };
  const aws = new AwsProvider({
    timeoutMs: options.timeoutMs,
    maxAttempts: 3,
    endpoint: ec2.url,
    credentials: AWS_KEY,
  });
  return { ec2, aws: closing(t, pacedProvider(aws, options)) };
}

export async function pacedCvm(t: TestContext, count: number, pacing: Partial<PacingOptions> = {}) {
  const cvm: TencentEmulator = await startTencentEmulator({
    credentials: { [TENCENT_KEY.secretId]: TENCENT_KEY.secretKey },
    instances: Array.from({ length: count }, (_, n) => ({
      instanceId: cvmId(n + 1),
      region: 'ap-guangzhou',
      zone: 'ap-guangzhou-3',
    })),
    rebootMs: 300,
  });
  t.after(() => cvm.stop());
  const options = { ...PACING, ...pacing };
  const tencent = new TencentProvider({
    timeoutMs: options.timeoutMs,
    maxAttempts: 3,
    endpoint: `http://cvm.tencentcloudapi.com:${cvm.port}`,
    connectAddress: '127.0.0.1',
    credential: TENCENT_KEY,
    backoff: { baseDelayMs: 20, maxDelayMs: 100 },
  });
  return { cvm, tencent: closing(t, pacedProvider(tencent, options)) };
}

function closing(t: TestContext, provider: CloudProvider): CloudProvider {
  t.after(() => provider.close?.());
  return provider;
}

/** Every promise's outcome, in order, without failing on the first rejection. */
export function settle<T>(promises: Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(promises);
}
