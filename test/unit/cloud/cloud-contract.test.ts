import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLOUD_ERROR_STATUS,
  CloudError,
  type CloudErrorKind,
  isCloudError,
} from '../../../src/cloud/contract/error.js';
import {
  CLOUD_PROVIDERS,
  type CloudProvider,
  type CloudTarget,
  locationLookups,
} from '../../../src/cloud/contract/provider.js';
import { saysOutcomeUnknown } from '../../../src/cloud/contract/error-status.js';
import { CLOUD_NAMES, cloudForScheme, SUPPORTED_CLOUDS } from '../../../src/cloud/registry/clouds.js';
import { RECOGNISED_UNSUPPORTED_CLOUDS } from '../../../src/cloud/registry/unsupported-clouds.js';

test('cloud errors carry what the HTTP layer needs to build a Kubernetes Status', () => {
  const cause = new Error('sdk');
  const error = new CloudError({
    kind: 'Throttled',
    cloud: 'tencent',
    message: 'RebootInstances was throttled',
    code: 'RequestLimitExceeded',
    requestId: 'req-1',
    retryAfterSeconds: 2,
    cause,
  });
  assert.ok(error instanceof Error && isCloudError(error));
  assert.equal(isCloudError(new Error('x')), false);
  assert.equal(error.name, 'CloudError');
  assert.equal(error.message, 'RebootInstances was throttled');
  assert.deepEqual(
    [error.kind, error.cloud, error.code, error.requestId, error.retryAfterSeconds, error.cause],
    ['Throttled', 'tencent', 'RequestLimitExceeded', 'req-1', 2, cause],
  );
  assert.deepEqual(error.status, { code: 429, reason: 'TooManyRequests' });
  assert.equal(new CloudError({ kind: 'Internal', cloud: 'aws', message: 'm' }).cause, undefined);
});

test('every cloud error kind maps to a Status code and reason', () => {
  const expected: Record<CloudErrorKind, number> = {
    InstanceNotFound: 404,
    InvalidState: 409,
    OperationInProgress: 409,
    Throttled: 429,
    Unavailable: 503,
    Timeout: 504,
    AuthFailure: 500,
    PermissionDenied: 500,
    InvalidRequest: 400,
    Unsupported: 422,
    Internal: 500,
  };
  assert.deepEqual(
    Object.fromEntries(Object.entries(CLOUD_ERROR_STATUS).map(([kind, status]) => [kind, status.code])),
    expected,
  );
  assert.match(CLOUD_ERROR_STATUS.AuthFailure.operatorHint ?? '', /credentials/);
  assert.match(CLOUD_ERROR_STATUS.PermissionDenied.operatorHint ?? '', /permission/);
});

test("an error's outcome: unknown for the kinds that may follow the cloud acting unless it says otherwise", () => {
  const outcomeOf = (kind: CloudErrorKind) => new CloudError({ kind, cloud: 'aws', message: 'm' }).outcome;
  assert.deepEqual(
    Object.keys(CLOUD_ERROR_STATUS)
      .filter((kind) => outcomeOf(kind as CloudErrorKind) === 'unknown')
      .sort(),
    ['Internal', 'Timeout', 'Unavailable'],
  );
  const unsent = new CloudError({ kind: 'Unavailable', cloud: 'aws', message: 'm', outcome: 'not-acted' });
  assert.equal(unsent.outcome, 'not-acted');
  assert.equal(saysOutcomeUnknown(unsent.toStatus()), false);
  // Retry-After makes client-go repeat a POST: never after a request the cloud may have carried out.
  const acted = new CloudError({ kind: 'Unavailable', cloud: 'aws', message: 'm', retryAfterSeconds: 2 });
  assert.equal(acted.retryAfterSeconds, undefined);
  const status = acted.toStatus();
  assert.equal(status.details?.retryAfterSeconds, undefined);
  assert.deepEqual(
    status.details?.causes?.map((c) => c.reason),
    ['CloudOutcomeUnknown'],
  );
  assert.ok(saysOutcomeUnknown(status));
});

test('the registry lists each cloud once, and no scheme belongs to two clouds', () => {
  assert.deepEqual(CLOUD_NAMES, ['aws', 'tencent', 'simulated']);
  const schemes = [...SUPPORTED_CLOUDS, ...RECOGNISED_UNSUPPORTED_CLOUDS].flatMap((cloud) => cloud.schemes);
  assert.equal(new Set(schemes).size, schemes.length);
  for (const scheme of schemes) assert.match(scheme, /^[a-z][a-z0-9]*$/);
  assert.equal(cloudForScheme('qcloud')?.name, 'tencent');
  assert.equal(cloudForScheme('tencentcloud')?.name, 'tencent');
  assert.equal(cloudForScheme('gce'), undefined);
});

test('a provider offers its zone lookup to region resolution, bound to itself', async () => {
  class FakeTencent implements CloudProvider {
    readonly cloud = 'tencent' as const;
    readonly rebootModes = ['Soft', 'Hard', 'SoftFirst'] as const;
    private readonly zones = new Map([['100003', { zone: 'ap-guangzhou-3', region: 'ap-guangzhou' }]]);
    async reboot(_target: CloudTarget, options: { mode: 'Soft' | 'Hard' | 'SoftFirst'; dryRun: boolean }) {
      return { requestId: 'r-1', mode: options.mode };
    }
    async lookupZone(zoneId: string) {
      return this.zones.get(zoneId);
    }
  }
  const lookups = locationLookups(new FakeTencent());
  assert.deepEqual(await lookups.zoneById?.('100003'), { zone: 'ap-guangzhou-3', region: 'ap-guangzhou' });
  assert.deepEqual(locationLookups(undefined), {});
  assert.equal(typeof CLOUD_PROVIDERS, 'symbol');
});
