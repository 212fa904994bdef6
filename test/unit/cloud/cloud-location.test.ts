import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCloudLocation } from '../../../src/cloud/registry/location.js';
import { parseProviderID } from '../../../src/cloud/registry/provider-id.js';

async function resolve(providerID: string, labels?: Record<string, string>) {
  const parsed = parseProviderID(providerID);
  assert.ok(parsed.kind === 'ok', providerID);
  return resolveCloudLocation(parsed.identity, labels);
}

test('an AWS region comes from the zone, ahead of any label', async () => {
  const result = await resolve('aws:///us-west-2-lax-1a/i-0123456789abcdef0', {
    'topology.kubernetes.io/region': 'eu-west-1',
  });
  assert.deepEqual(result, {
    kind: 'resolved',
    identity: {
      cloud: 'aws',
      providerID: 'aws:///us-west-2-lax-1a/i-0123456789abcdef0',
      instanceId: 'i-0123456789abcdef0',
      zone: 'us-west-2-lax-1a',
      region: 'us-west-2',
      regionSource: 'providerID',
      regionEvidence: 'providerID "aws:///us-west-2-lax-1a/i-0123456789abcdef0"',
    },
  });
});

test('without a usable zone, the AWS region comes from the region labels', async () => {
  const cases: [string, Record<string, string>, string, string][] = [
    [
      'aws:////i-0123456789abcdef0',
      { 'topology.kubernetes.io/region': 'eu-west-1' },
      'eu-west-1',
      'topology',
    ],
    [
      'aws:////i-0123456789abcdef0',
      { 'failure-domain.beta.kubernetes.io/region': 'us-gov-west-1' },
      'us-gov-west-1',
      'failure',
    ],
    [
      'aws:///use1-az1/i-0123456789abcdef0',
      { 'topology.kubernetes.io/region': 'gz', 'failure-domain.beta.kubernetes.io/region': 'us-east-1' },
      'us-east-1',
      'failure',
    ],
  ];
  for (const [providerID, labels, region, label] of cases) {
    const result = await resolve(providerID, labels);
    assert.ok(result.kind === 'resolved', providerID);
    assert.equal(result.identity.region, region);
    assert.equal(result.identity.regionSource, 'label');
    assert.ok(result.identity.regionEvidence.startsWith(`label ${label}`));
  }
});

test('an unresolvable AWS region is a clear error naming what was tried', async () => {
  const result = await resolve('aws:////i-0123456789abcdef0', { 'topology.kubernetes.io/region': 'US East' });
  assert.ok(result.kind === 'unresolved');
  assert.equal(result.cloud, 'aws');
  assert.deepEqual(result.tried, [
    'providerID: no availability zone',
    'label topology.kubernetes.io/region="US East": not an AWS region name',
    'label failure-domain.beta.kubernetes.io/region: not set',
  ]);
  assert.match(
    result.reason,
    /^cannot determine the AWS EC2 region of instance i-0123456789abcdef0 \(providerID /,
  );
  const azId = await resolve('aws:///use1-az1/i-0123456789abcdef0');
  assert.ok(azId.kind === 'unresolved');
  assert.equal(azId.tried[0], 'providerID: availability zone "use1-az1" does not start with a region name');
});

test('a simulated region always comes from the providerID', async () => {
  const result = await resolve('simulated:///sim-east-1/sim-east-1a/sim-node-1');
  assert.ok(result.kind === 'resolved');
  assert.equal(result.identity.region, 'sim-east-1');
  assert.equal(result.identity.regionSource, 'providerID');
});
