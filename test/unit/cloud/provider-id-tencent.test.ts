import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProviderID } from '../../../src/cloud/registry/provider-id.js';

test('TKE qcloud providerIDs carry a numeric zone id and the instance id, but no region', () => {
  for (const [providerID, zoneId, instanceId] of [
    ['qcloud:///100003/ins-3ven36lk', '100003', 'ins-3ven36lk'],
    ['qcloud:///800005/ins-2jv4wpmr', '800005', 'ins-2jv4wpmr'],
    ['qcloud:///330001/ins-d3cwxd6w', '330001', 'ins-d3cwxd6w'],
  ]) {
    assert.deepEqual(parseProviderID(providerID), {
      kind: 'ok',
      identity: { cloud: 'tencent', providerID, zoneId, instanceId },
    });
  }
});

test('open-source CCM tencentcloud providerIDs carry the zone name, which gives the region', () => {
  for (const [providerID, zone, region] of [
    ['tencentcloud:///ap-guangzhou-3/ins-3ven36lk', 'ap-guangzhou-3', 'ap-guangzhou'],
    ['tencentcloud:///ap-shenzhen-fsi-1/ins-3ven36lk', 'ap-shenzhen-fsi-1', 'ap-shenzhen-fsi'],
    ['tencentcloud:///na-siliconvalley-2/ins-3ven36lk', 'na-siliconvalley-2', 'na-siliconvalley'],
  ]) {
    assert.deepEqual(parseProviderID(providerID), {
      kind: 'ok',
      identity: { cloud: 'tencent', providerID, zone, region, instanceId: 'ins-3ven36lk' },
    });
  }
});

test('malformed Tencent providerIDs are invalid, with the precise reason', () => {
  const cases: [string, RegExp][] = [
    ['qcloud:///ap-guangzhou-3/ins-3ven36lk', /zone id "ap-guangzhou-3" is not numeric/],
    ['qcloud:////ins-3ven36lk', /zone id "" is not numeric/],
    ['qcloud:///1000 03/ins-3ven36lk', /zone id "1000 03" is not numeric/],
    ['qcloud:///-100003/ins-3ven36lk', /zone id "-100003" is not numeric/],
    [
      'qcloud:///\uff11\uff10\uff10\uff10\uff10\uff13/ins-3ven36lk',
      /zone id "\\uff11\\uff10.*" is not numeric/,
    ],
    ['qcloud:///1000030000000/ins-3ven36lk', /zone id "1000030000000" is not numeric/],
    ['qcloud:///100003/ins-3VEN36LK', /instance id "ins-3VEN36LK" is not "ins-" followed by lowercase/],
    ['qcloud:///100003/ins-', /instance id "ins-" is not/],
    ['qcloud:///100003/ins_3ven36lk', /instance id "ins_3ven36lk" is not/],
    ['qcloud:///100003/i-0123456789abcdef0', /instance id "i-0123456789abcdef0" is not/],
    ['qcloud:///100003/np-abc-1234', /instance id "np-abc-1234" is not/],
    ['qcloud:///100003/ins-3ven36lk?x=1', /instance id "ins-3ven36lk\?x=1" is not/],
    ['qcloud:///100003', /expected qcloud:\/\/\/<zone-id>\/<instance-id> \(2 path segments\), found 1/],
    ['qcloud:///100003/ins-3ven36lk/', /\(2 path segments\), found 3/],
    ['qcloud:///100003/../ins-3ven36lk', /\(2 path segments\), found 3/],
    ['qcloud://100003/ins-3ven36lk', /expected qcloud:\/\/\/<zone-id>\/<instance-id>, with three slashes/],
    ['qcloud://', /with three slashes/],
    ['QCLOUD:///100003/ins-3ven36lk', /the scheme must be lowercase "qcloud:\/\/"/],
    ['qcloud:///100003/ins-3ven36lk ', /leading or trailing whitespace/],
    ['tencentcloud:///100003/ins-3ven36lk', /zone "100003" is not a Tencent Cloud zone name/],
    ['tencentcloud:///ap-guangzhou/ins-3ven36lk', /zone "ap-guangzhou" is not a Tencent Cloud zone name/],
    ['tencentcloud:///AP-guangzhou-3/ins-3ven36lk', /zone "AP-guangzhou-3" is not/],
    [
      'tencentcloud:///ap-guangzhou-3/ins-3ven36lk/x',
      /expected tencentcloud:\/\/\/<zone>\/<instance-id> \(2 path/,
    ],
    ['tencentcloud://ap-guangzhou-3/ins-3ven36lk', /with three slashes/],
    ['TencentCloud:///ap-guangzhou-3/ins-3ven36lk', /the scheme must be lowercase "tencentcloud:\/\/"/],
  ];
  for (const [providerID, reason] of cases) {
    const result = parseProviderID(providerID);
    assert.equal(result.kind, 'invalid', providerID);
    assert.ok(result.kind === 'invalid');
    assert.equal(result.cloud, 'tencent');
    assert.match(result.reason, /^invalid Tencent Cloud CVM providerID "/);
    assert.match(result.reason, reason, providerID);
  }
});
