import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AWS_REGION, awsZoneToRegion } from '../../../src/cloud/aws/aws-zone.js';
import { isTencentRegion, tencentZoneToRegion } from '../../../src/cloud/tencent/tencent-names.js';

test('AWS zone to region follows cloud-provider-aws azToRegion', () => {
  // The first seven are the cases of cloud-provider-aws TestAzToRegion.
  const cases: [string, string][] = [
    ['us-east-1a', 'us-east-1'],
    ['us-west-2-lax-1a', 'us-west-2'],
    ['eu-central-1a', 'eu-central-1'],
    ['ap-northeast-2a', 'ap-northeast-2'],
    ['us-gov-east-1a', 'us-gov-east-1'],
    ['us-iso-east-1a', 'us-iso-east-1'],
    ['us-isob-east-1a', 'us-isob-east-1'],
    ['cn-north-1a', 'cn-north-1'],
    ['cn-northwest-1b', 'cn-northwest-1'],
    ['us-east-1-wl1-bos-wlz-1', 'us-east-1'],
    ['il-central-1a', 'il-central-1'],
  ];
  for (const [zone, region] of cases) {
    assert.equal(awsZoneToRegion(zone), region, zone);
    assert.match(region, AWS_REGION);
  }
  for (const zone of ['', 'use1-az1', 'us-east', '1a', '-us-east-1a'])
    assert.equal(awsZoneToRegion(zone), undefined, zone);
  for (const region of ['us-east-1a', 'gz', 'ap-guangzhou', 'US-EAST-1'])
    assert.doesNotMatch(region, AWS_REGION);
});

test('Tencent zone name to region drops the -N suffix', () => {
  const cases: [string, string][] = [
    ['ap-guangzhou-3', 'ap-guangzhou'],
    ['ap-shenzhen-fsi-1', 'ap-shenzhen-fsi'],
    ['na-siliconvalley-2', 'na-siliconvalley'],
    ['eu-frankfurt-1', 'eu-frankfurt'],
    ['ap-chengdu-1', 'ap-chengdu'],
  ];
  for (const [zone, region] of cases) {
    assert.equal(tencentZoneToRegion(zone), region, zone);
    assert.ok(isTencentRegion(region));
  }
  for (const zone of ['ap-guangzhou', '100003', 'ap-guangzhou-', 'AP-guangzhou-3', 'ap-guangzhou-3a', 'gz']) {
    assert.equal(tencentZoneToRegion(zone), undefined, zone);
  }
  for (const name of ['gz', 'ap-guangzhou-3', 'ap_guangzhou', ''])
    assert.equal(isTencentRegion(name), false, name);
});
