import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProviderID } from '../../../src/cloud/registry/provider-id.js';

const ID17 = 'i-0123456789abcdef0';

test('AWS providerIDs name the instance, zone and region', () => {
  const cases: [string, { instanceId: string; zone?: string; region?: string }][] = [
    [`aws:///us-east-1a/${ID17}`, { instanceId: ID17, zone: 'us-east-1a', region: 'us-east-1' }],
    [
      'aws:///eu-central-1b/i-12345678',
      { instanceId: 'i-12345678', zone: 'eu-central-1b', region: 'eu-central-1' },
    ],
    [`aws:///us-west-2-lax-1a/${ID17}`, { instanceId: ID17, zone: 'us-west-2-lax-1a', region: 'us-west-2' }],
    [`aws:///us-gov-east-1a/${ID17}`, { instanceId: ID17, zone: 'us-gov-east-1a', region: 'us-gov-east-1' }],
    [`aws:///cn-north-1a/${ID17}`, { instanceId: ID17, zone: 'cn-north-1a', region: 'cn-north-1' }],
    [
      `aws:///us-isob-east-1a/${ID17}`,
      { instanceId: ID17, zone: 'us-isob-east-1a', region: 'us-isob-east-1' },
    ],
    [
      `aws:///us-east-1-wl1-bos-wlz-1/${ID17}`,
      { instanceId: ID17, zone: 'us-east-1-wl1-bos-wlz-1', region: 'us-east-1' },
    ],
    // The zone in the URL host position, as cloud-provider-aws reads it
    [`aws://us-east-1a/${ID17}`, { instanceId: ID17, zone: 'us-east-1a', region: 'us-east-1' }],
    // Empty zone: the region has to come from elsewhere
    [`aws:////${ID17}`, { instanceId: ID17 }],
    // A zone that is not an AZ name (an AZ id) is kept, but gives no region
    [`aws:///use1-az1/${ID17}`, { instanceId: ID17, zone: 'use1-az1' }],
  ];
  for (const [providerID, expected] of cases) {
    assert.deepEqual(
      parseProviderID(providerID),
      { kind: 'ok', identity: { cloud: 'aws', providerID, ...expected } },
      providerID,
    );
  }
});

test('AWS Fargate nodes are rejected: there is no VM to reboot', () => {
  for (const providerID of [
    'aws:///eu-west-3a/fargate-ip-10-0-1-2',
    'aws:///us-west-2b/xxxxxxxx/fargate-ip-192-168-128-147.us-west-2.compute.internal',
    'aws:///us-east-1b/b7af340c11-9ec3eeb6643c4ea58b0285cefd83ef94/fargate-ip-10-65-48-87.ec2.internal',
    'aws:////fargate-10.0.55.27',
  ]) {
    const result = parseProviderID(providerID);
    assert.equal(result.kind, 'unsupported', providerID);
    assert.ok(result.kind === 'unsupported');
    assert.equal(result.cloud, 'aws-fargate');
    assert.match(result.reason, /AWS Fargate node: .*no instance to reboot/);
    assert.ok(result.reason.includes(JSON.stringify(providerID)), 'quotes the providerID');
  }
});

test('malformed AWS providerIDs are invalid, with the precise reason', () => {
  const cases: [string, RegExp][] = [
    [`aws:///us-east-1a/i-0123`, /instance id "i-0123" is not "i-" followed by 8 or 17 lowercase hex/],
    [`aws:///us-east-1a/i-012345678`, /instance id "i-012345678" is not/],
    [`aws:///us-east-1a/i-0123456789ABCDEF0`, /instance id "i-0123456789ABCDEF0" is not/],
    [`aws:///us-east-1a/i-0123456789abcdefg`, /instance id "i-0123456789abcdefg" is not/],
    [`aws:///us-east-1a/vol-0123456789abcdef0`, /instance id "vol-0123456789abcdef0" is not/],
    [`aws:///us-east-1a/`, /instance id "" is not/],
    [`aws:///us-east-1a`, /expected aws:\/\/\/<zone>\/<instance-id> \(2 path segments\), found 1/],
    [`aws:///${ID17}`, /\(2 path segments\), found 1/],
    [`aws://`, /\(2 path segments\), found 1/],
    [`aws:///us-east-1a/${ID17}/`, /\(2 path segments\), found 3/],
    [`aws:///us-east-1a/extra/${ID17}`, /\(2 path segments\), found 3/],
    [`aws://///${ID17}`, /\(2 path segments\), found 3/],
    [`aws:///US-EAST-1A/${ID17}`, /availability zone "US-EAST-1A" is not lowercase/],
    [`aws:///us_east_1a/${ID17}`, /availability zone "us_east_1a" is not lowercase/],
    [`aws:///us-east-1a /${ID17}`, /availability zone "us-east-1a " is not lowercase/],
    [`AWS:///us-east-1a/${ID17}`, /the scheme must be lowercase "aws:\/\/"/],
    [`Aws:///us-east-1a/${ID17}`, /the scheme must be lowercase/],
    [` aws:///us-east-1a/${ID17}`, /leading or trailing whitespace/],
    [`aws:///us-east-1a/${ID17}\n`, /leading or trailing whitespace/],
    [`\taws:///us-east-1a/${ID17}`, /leading or trailing whitespace/],
  ];
  for (const [providerID, reason] of cases) {
    const result = parseProviderID(providerID);
    assert.equal(result.kind, 'invalid', providerID);
    assert.ok(result.kind === 'invalid');
    assert.equal(result.cloud, 'aws');
    assert.match(result.reason, /^invalid AWS EC2 providerID "/);
    assert.match(result.reason, reason, providerID);
  }
});

test('query strings, fragments, escapes, traversal and look-alike characters do not pass as AWS instance ids', () => {
  for (const providerID of [
    `aws:///us-east-1a/${ID17}?region=eu-west-1`,
    `aws:///us-east-1a/${ID17}#frag`,
    `aws:///us-east-1a/${ID17};x`,
    `aws:///us-east-1a/%69-0123456789abcdef0`,
    `aws:///us-east-1a/../${ID17}`,
    `aws:///../${ID17}`,
    `aws:///us-east-1a/..%2f${ID17}`,
    `aws:///us-east-1a/\u0456-0123456789abcdef0`,
    `aws:///us-east-1a/i-0123456789abcdef\u0660`,
    `aws:///us-east-1a/${ID17}\u0000`,
    `aws:///us-east-1a/${ID17} `,
    `aws:///us-east-1a/ ${ID17}`,
    `aws://user@us-east-1a/${ID17}`,
    `aws://us-east-1a:443/${ID17}`,
  ]) {
    const result = parseProviderID(providerID);
    assert.equal(result.kind, 'invalid', JSON.stringify(providerID));
  }
});
