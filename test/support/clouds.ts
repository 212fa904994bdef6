// Both cloud emulators for a test file, and the environment that points our server's real SDKs at them
// with the emulators' keys (and keeps every other credential source, such as instance metadata, off).
import { startEc2Emulator, type Ec2Emulator } from '../emulators/ec2/ec2-emulator.js';
import type { Ec2InstanceSeed } from '../emulators/ec2/ec2-instances.js';
import { startTencentEmulator, type TencentEmulator } from '../emulators/tencent/tencent-emulator.js';
import type { CvmInstanceSeed } from '../emulators/tencent/tencent-instances.js';

const AWS = { accessKeyId: 'AKIDE2ETESTAWS0001', secretAccessKey: 'e2e-aws-secret' };
const TENCENT = { secretId: 'AKIDE2ETESTTENCENT01', secretKey: 'e2e-tencent-secret' };

export interface CloudEmulators {
  ec2: Ec2Emulator;
  cvm: TencentEmulator;
  /** Environment for startServer: both clouds and the simulated one enabled, talking to the emulators. */
  serverEnv: Record<string, string>;
  stop: () => Promise<void>;
}

export async function startCloudEmulators(seeds: {
  ec2?: Ec2InstanceSeed[];
  cvm?: CvmInstanceSeed[];
  rebootMs?: number;
}): Promise<CloudEmulators> {
  const ec2 = await startEc2Emulator({
    credentials: { [AWS.accessKeyId]: AWS.secretAccessKey },
    instances: seeds.ec2 ?? [],
  });
  const cvm = await startTencentEmulator({
    credentials: { [TENCENT.secretId]: TENCENT.secretKey },
    instances: seeds.cvm ?? [],
    rebootMs: seeds.rebootMs ?? 300,
  });
  const serverEnv = {
    AWS_ACCESS_KEY_ID: AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS.secretAccessKey,
    AWS_ENDPOINT_URL_EC2: ec2.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    TENCENTCLOUD_SECRET_ID: TENCENT.secretId,
    TENCENTCLOUD_SECRET_KEY: TENCENT.secretKey,
    TENCENTCLOUD_ENDPOINT: `http://${cvm.endpoint}`,
    TENCENTCLOUD_METADATA_DISABLED: 'true',
    SIMULATED_CLOUD: 'true',
  };
  return { ec2, cvm, serverEnv, stop: async () => void (await Promise.all([ec2.stop(), cvm.stop()])) };
}
