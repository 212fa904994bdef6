import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudError, type CloudErrorKind } from '../../../../src/cloud/contract/error.js';
import type { CloudTarget } from '../../../../src/cloud/contract/provider.js';
import type { TencentProviderOptions } from '../../../../src/cloud/tencent/tencent-provider.js';
import { isolateSdkEnvironment, TENCENT_KEY } from '../../emulators/helpers.js';

export { AWS_KEY, TENCENT_KEY, waitFor } from '../../emulators/helpers.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Keeps both SDKs and both credential chains local: no proxies, no AWS config files or IMDS, no cloud settings or
 * keys from the environment, an empty home (no ~/.aws, no ~/.tencentcloud), no CVM role lookups.
 */
export function isolateCloudEnvironment(): void {
  isolateSdkEnvironment();
  for (const name of Object.keys(process.env)) {
    if (
      /^(?:AWS_(?!CONFIG_FILE|SHARED_CREDENTIALS_FILE|EC2_METADATA_DISABLED)|TENCENTCLOUD_|TKE_)/.test(name)
    ) {
      delete process.env[name];
    }
  }
  for (const name of [
    'CLOUD_TIMEOUT',
    'CLOUD_MAX_ATTEMPTS',
    'CLOUD_BATCH_WINDOW',
    'AWS_CLOUD',
    'TENCENT_CLOUD',
    'SIMULATED_CLOUD',
  ]) {
    delete process.env[name];
  }
  process.env['HOME'] = mkdtempSync(join(tmpdir(), 'cloud-provider-test-'));
  process.env['TENCENTCLOUD_METADATA_DISABLED'] = 'true';
}

/** Keeps the production host name, and so the "cvm" signing service, while connecting to the emulator. */
export function tencentEmulatorOptions(port: number): TencentProviderOptions {
  return {
    timeoutMs: 5000,
    maxAttempts: 3,
    endpoint: `http://cvm.tencentcloudapi.com:${port}`,
    connectAddress: '127.0.0.1',
    credential: TENCENT_KEY,
    backoff: { baseDelayMs: 20, maxDelayMs: 100 },
  };
}

export function awsTarget(instanceId: string, region = 'us-east-1', nodeName = 'node-1'): CloudTarget {
  return {
    cloud: 'aws',
    providerID: `aws:///${region}a/${instanceId}`,
    instanceId,
    zone: `${region}a`,
    region,
    regionSource: 'providerID',
    regionEvidence: 'test',
    nodeName,
  };
}

export function tencentTarget(instanceId: string, region = 'ap-guangzhou', nodeName = 'node-1'): CloudTarget {
  return {
    cloud: 'tencent',
    providerID: `tencentcloud:///${region}-3/${instanceId}`,
    instanceId,
    zone: `${region}-3`,
    region,
    regionSource: 'providerID',
    regionEvidence: 'test',
    nodeName,
  };
}

/** Asserts a CloudError of `kind`, and returns it for further checks. */
export async function cloudFailure(
  promise: Promise<unknown>,
  kind: CloudErrorKind,
  message?: RegExp,
): Promise<CloudError> {
  let thrown: unknown;
  await promise.then(
    (value) => assert.fail(`expected a ${kind} CloudError, got ${JSON.stringify(value)}`),
    (error: unknown) => (thrown = error),
  );
  assert.ok(thrown instanceof CloudError, `expected a CloudError, got ${String(thrown)}`);
  assert.equal(thrown.kind, kind, thrown.message);
  if (message !== undefined) assert.match(thrown.message, message);
  return thrown;
}

/** Gaps between consecutive timestamps, in milliseconds. */
export function gaps(times: Date[]): number[] {
  return times.slice(1).map((at, n) => at.getTime() - times[n]!.getTime());
}
