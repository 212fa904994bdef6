// The EC2 and Tencent Cloud emulators with fresh keys, and the environment that points our server at them (plus
// the simulated cloud): what the sandbox and the end-to-end tests run our server with.
import { randomBytes } from 'node:crypto';
import { startEc2Emulator, type Ec2Emulator } from '../emulators/ec2/ec2-emulator.js';
import type { Ec2InstanceSeed } from '../emulators/ec2/ec2-instances.js';
import { startTencentEmulator, type TencentEmulator } from '../emulators/tencent/tencent-emulator.js';
import type { CvmInstanceSeed } from '../emulators/tencent/tencent-instances.js';

export interface CloudEmulators {
  ec2: Ec2Emulator;
  tencent: TencentEmulator;
  keys: { aws: { id: string; secret: string }; tencent: { id: string; secret: string } };
  /** Environment for our server: both clouds on, at the emulators, with the emulators' keys; the simulated cloud on. */
  serverEnv: Record<string, string>;
  stop(): Promise<void>;
}

const keyPair = (prefix: string) => ({
  id: `${prefix}${randomBytes(8).toString('hex').toUpperCase()}`,
  secret: randomBytes(20).toString('base64url'),
});

export async function startCloudEmulators(seeds: {
  ec2?: Ec2InstanceSeed[];
  tencent?: CvmInstanceSeed[];
  ports?: { ec2?: number; tencent?: number };
}): Promise<CloudEmulators> {
  const keys = { aws: keyPair('AKIA'), tencent: keyPair('AKID') };
  const ec2 = await startEc2Emulator({
    credentials: { [keys.aws.id]: keys.aws.secret },
    instances: seeds.ec2,
    port: seeds.ports?.ec2,
  });
  const tencent = await startTencentEmulator({
    credentials: { [keys.tencent.id]: keys.tencent.secret },
    instances: seeds.tencent,
    port: seeds.ports?.tencent,
  }).catch(async (err: Error) => {
    await ec2.stop();
    throw err;
  });
  return {
    ec2,
    tencent,
    keys,
    serverEnv: {
      AWS_CLOUD: 'true',
      AWS_ACCESS_KEY_ID: keys.aws.id,
      AWS_SECRET_ACCESS_KEY: keys.aws.secret,
      AWS_ENDPOINT_URL_EC2: ec2.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      TENCENT_CLOUD: 'true',
      TENCENTCLOUD_SECRET_ID: keys.tencent.id,
      TENCENTCLOUD_SECRET_KEY: keys.tencent.secret,
      TENCENTCLOUD_ENDPOINT: tencent.url,
      TENCENTCLOUD_METADATA_DISABLED: 'true',
      SIMULATED_CLOUD: 'true',
    },
    async stop() {
      await Promise.all([ec2.stop(), tencent.stop()]);
    },
  };
}
