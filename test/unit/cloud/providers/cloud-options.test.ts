import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudOptionsError, cloudOptionsFromEnv } from '../../../../src/cloud/registry/options.js';

const noFiles = () => false;

test('with nothing configured, no cloud is enabled and the defaults apply', () => {
  const options = cloudOptionsFromEnv({}, noFiles);
  assert.equal(options.timeoutMs, 10_000);
  assert.equal(options.maxAttempts, 3);
  assert.equal(options.batchWindowMs, 10);
  assert.deepEqual(
    [options.aws.enabled, options.tencent.enabled, options.simulated.enabled],
    [false, false, false],
  );
  assert.match(options.aws.reason, /no AWS credentials/);
  assert.match(options.aws.howToEnable, /AWS_CLOUD=true/);
  assert.equal(options.tencent.metadataDisabled, false);
  assert.equal(options.simulated.rebootMs, 5000);
});

test('AWS and Tencent are enabled by the traces their credentials leave, and the reason names the trace', () => {
  for (const [variable, cloud] of [
    ['AWS_ACCESS_KEY_ID', 'aws'],
    ['AWS_WEB_IDENTITY_TOKEN_FILE', 'aws'],
    ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'aws'],
    ['AWS_REGION', 'aws'],
    ['TENCENTCLOUD_SECRET_ID', 'tencent'],
    ['TKE_ROLE_ARN', 'tencent'],
    ['TENCENTCLOUD_REGION', 'tencent'],
  ] as const) {
    const options = cloudOptionsFromEnv({ [variable]: 'x' }, noFiles);
    assert.equal(options[cloud].enabled, true, variable);
    assert.equal(options[cloud].reason, `${variable} is set`);
    assert.equal(options[cloud === 'aws' ? 'tencent' : 'aws'].enabled, false, variable);
  }
  const fromFile = cloudOptionsFromEnv(
    { AWS_SHARED_CREDENTIALS_FILE: '/secrets/aws' },
    (p) => p === '/secrets/aws',
  );
  assert.deepEqual([fromFile.aws.enabled, fromFile.aws.reason], [true, '/secrets/aws exists']);
});

test('explicit switches win over detection; the simulated cloud is only ever on when asked', () => {
  const options = cloudOptionsFromEnv(
    {
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_CLOUD: 'false',
      TENCENT_CLOUD: 'TRUE',
      SIMULATED_CLOUD: 'true',
      SIMULATED_REBOOT_DURATION: '250ms',
      CLOUD_TIMEOUT: '1m30s',
      CLOUD_MAX_ATTEMPTS: '1',
      CLOUD_BATCH_WINDOW: '0',
      TENCENTCLOUD_ENDPOINT: 'cvm.internal.tencentcloudapi.com',
      TENCENTCLOUD_METADATA_DISABLED: 'true',
    },
    noFiles,
  );
  assert.deepEqual([options.aws.enabled, options.aws.reason], [false, 'AWS_CLOUD=false']);
  assert.deepEqual([options.tencent.enabled, options.tencent.reason], [true, 'TENCENT_CLOUD=true']);
  assert.equal(options.tencent.endpoint, 'cvm.internal.tencentcloudapi.com');
  assert.equal(options.tencent.metadataDisabled, true);
  assert.deepEqual([options.simulated.enabled, options.simulated.rebootMs], [true, 250]);
  assert.deepEqual([options.timeoutMs, options.maxAttempts, options.batchWindowMs], [90_000, 1, 0]);
  assert.equal(
    cloudOptionsFromEnv({ SIMULATED_CLOUD: 'false', AWS_CLOUD: 'true' }, noFiles).simulated.enabled,
    false,
  );
});

test('every bad value is reported at once', () => {
  assert.throws(
    () =>
      cloudOptionsFromEnv(
        {
          CLOUD_TIMEOUT: 'soon',
          CLOUD_MAX_ATTEMPTS: '0',
          CLOUD_BATCH_WINDOW: '-5ms',
          AWS_CLOUD: 'yes',
          TENCENTCLOUD_ENDPOINT: 'ftp://cvm/x',
          SIMULATED_REBOOT_DURATION: '-1s',
        },
        noFiles,
      ),
    (error: unknown) => {
      assert.ok(error instanceof CloudOptionsError);
      for (const name of [
        'CLOUD_TIMEOUT',
        'CLOUD_MAX_ATTEMPTS',
        'CLOUD_BATCH_WINDOW',
        'AWS_CLOUD',
        'TENCENTCLOUD_ENDPOINT',
        'SIMULATED_REBOOT_DURATION',
      ]) {
        assert.match(error.message, new RegExp(`- ${name} `));
      }
      return true;
    },
  );
});
