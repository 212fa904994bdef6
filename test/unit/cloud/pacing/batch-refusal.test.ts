import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudError, type CloudErrorKind } from '../../../../src/cloud/contract/error.js';
import { partsToRetry } from '../../../../src/cloud/pacing/batch-refusal.js';
import { awsTarget } from '../providers/helpers.js';

const batch = ['i-0000000a', 'i-0000000b', 'i-0000000c', 'i-0000000d'].map((id) => ({
  target: awsTarget(id),
}));
const ids = (parts: { target: { instanceId: string } }[][] | undefined) =>
  parts?.map((part) => part.map((r) => r.target.instanceId));

function refusal(kind: CloudErrorKind, cloudSaid: string): CloudError {
  return new CloudError({
    kind,
    cloud: 'aws',
    message: `AWS EC2 RebootInstances for ${batch.map((r) => r.target.instanceId).join(', ')} failed`,
    cause: new Error(cloudSaid),
  });
}

test('the instances a refusal names are sent again alone, the others together', () => {
  const error = refusal('InstanceNotFound', "The instance IDs 'i-0000000b, i-0000000d' do not exist");
  assert.deepEqual(ids(partsToRetry(batch, error)), [
    ['i-0000000b'],
    ['i-0000000d'],
    ['i-0000000a', 'i-0000000c'],
  ]);
});

test('a refusal naming none is split in halves; one naming all is the answer of each', () => {
  assert.deepEqual(ids(partsToRetry(batch, refusal('OperationInProgress', 'busy'))), [
    ['i-0000000a', 'i-0000000b'],
    ['i-0000000c', 'i-0000000d'],
  ]);
  const all = refusal(
    'InstanceNotFound',
    "The instance IDs 'i-0000000a, i-0000000b, i-0000000c, i-0000000d'",
  );
  assert.equal(partsToRetry(batch, all), undefined);
});

test('an id is named only as a whole word', () => {
  const error = refusal(
    'InvalidState',
    "The instance 'i-0000000a1' is not in a state from which it can be rebooted.",
  );
  assert.equal(ids(partsToRetry(batch, error))?.length, 2, 'halves: i-0000000a is not named');
});

test('unknown outcomes, and failures true of every instance, are never sent again', () => {
  for (const kind of [
    'Timeout',
    'Unavailable',
    'Internal',
    'Throttled',
    'AuthFailure',
    'PermissionDenied',
  ] as const) {
    assert.equal(partsToRetry(batch, refusal(kind, "The instance 'i-0000000a' …")), undefined, kind);
  }
  assert.equal(partsToRetry(batch, new Error('i-0000000a')), undefined);
  // A refusal's kind with an outcome that says the cloud may have acted is not a refusal.
  const unsure = new CloudError({
    kind: 'InvalidState',
    cloud: 'aws',
    outcome: 'unknown',
    message: 'failed',
    cause: new Error("The instance 'i-0000000a' …"),
  });
  assert.equal(partsToRetry(batch, unsure), undefined);
  assert.equal(partsToRetry(batch.slice(0, 1), refusal('InstanceNotFound', 'i-0000000a')), undefined);
});
