import { mkdtempSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import * as tencentcloud from 'tencentcloud-sdk-nodejs-cvm';
import type { Ec2Emulator } from '../../emulators/ec2/ec2-emulator.js';
import type { TencentEmulator } from '../../emulators/tencent/tencent-emulator.js';

export const AWS_KEY = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
export const TENCENT_KEY = {
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
};

export const CvmClient = tencentcloud.cvm.v20170312.Client;
export type CvmClient = InstanceType<typeof CvmClient>;

/** Keeps both SDKs local: no proxies, no shared AWS config files, no instance metadata service. */
export function isolateSdkEnvironment(): void {
  for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY']) {
    delete process.env[name];
  }
  for (const name of [
    'AWS_PROFILE',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_EC2',
    'AWS_MAX_ATTEMPTS',
    'AWS_RETRY_MODE',
  ]) {
    delete process.env[name];
  }
  const empty = mkdtempSync(join(tmpdir(), 'emulator-test-'));
  process.env['AWS_CONFIG_FILE'] = join(empty, 'config');
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(empty, 'credentials');
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
}

/** An EC2 client configured the way production points it at an endpoint. */
export function ec2Client(emulator: Ec2Emulator, overrides: Partial<EC2ClientConfig> = {}): EC2Client {
  return new EC2Client({ region: 'us-east-1', endpoint: emulator.url, credentials: AWS_KEY, ...overrides });
}

export interface CvmClientOptions {
  secretId?: string;
  secretKey?: string;
  token?: string;
  region?: string;
  reqTimeoutSeconds?: number;
}

/** A CVM client on "127.0.0.1:PORT" over http:// (its signing scope service is then "127"). */
export function cvmClient(emulator: TencentEmulator, options: CvmClientOptions = {}): CvmClient {
  return new CvmClient({
    credential: {
      secretId: options.secretId ?? TENCENT_KEY.secretId,
      secretKey: options.secretKey ?? TENCENT_KEY.secretKey,
      ...(options.token !== undefined && { token: options.token }),
    },
    region: options.region ?? 'ap-guangzhou',
    profile: {
      httpProfile: {
        endpoint: emulator.endpoint,
        protocol: 'http://',
        ...(options.reqTimeoutSeconds !== undefined && { reqTimeout: options.reqTimeoutSeconds }),
      },
    },
  });
}

/**
 * A CVM client that keeps the production host name (and so the "cvm" signing scope) while every
 * connection goes to 127.0.0.1, through an agent whose DNS lookup only ever answers loopback.
 */
export function cvmClientWithProductionHost(emulator: TencentEmulator): CvmClient {
  const agent = new Agent({
    lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
      options?.all
        ? callback(null, [{ address: '127.0.0.1', family: 4 }])
        : callback(null, '127.0.0.1', 4)) as unknown as NonNullable<
      ConstructorParameters<typeof Agent>[0]
    >['lookup'],
  });
  return new CvmClient({
    credential: TENCENT_KEY,
    region: 'ap-guangzhou',
    profile: {
      httpProfile: { endpoint: `cvm.tencentcloudapi.com:${emulator.port}`, protocol: 'http://', agent },
    },
  });
}

export async function waitFor(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves to how long `action` took, in milliseconds. */
export async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}
