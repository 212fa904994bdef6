import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ZoneInfo } from '../../../src/cloud/contract/definition.js';
import type { CloudIdentity } from '../../../src/cloud/contract/identity.js';
import { resolveCloudLocation } from '../../../src/cloud/registry/location.js';
import { parseProviderID } from '../../../src/cloud/registry/provider-id.js';
import {
  TENCENT_REGION_BY_OBSERVED_ZONE_ID_PREFIX,
  TENCENT_ZONE_BY_ID,
} from '../../../src/cloud/tencent/tencent-zone-table.js';
import { tencentZoneToRegion } from '../../../src/cloud/tencent/tencent-names.js';

function identity(providerID: string): CloudIdentity {
  const parsed = parseProviderID(providerID);
  assert.ok(parsed.kind === 'ok', providerID);
  return parsed.identity;
}

function lookupReturning(answer: ZoneInfo | undefined | Error) {
  const calls: string[] = [];
  const zoneById = async (zoneId: string) => {
    calls.push(zoneId);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { calls, lookups: { zoneById } };
}

const GZ3 = identity('qcloud:///100003/ins-3ven36lk');
const UNKNOWN = identity('qcloud:///990001/ins-3ven36lk');

async function resolved(id: CloudIdentity, labels?: Record<string, string>, lookups = {}) {
  const result = await resolveCloudLocation(id, labels, lookups);
  assert.ok(result.kind === 'resolved', result.kind === 'unresolved' ? result.reason : '');
  return result.identity;
}

test('the zone lookup is used in preference to the built-in table', async () => {
  const { calls, lookups } = lookupReturning({ zone: 'ap-shenzhen-9', region: 'ap-shenzhen' });
  const got = await resolved(GZ3, { 'topology.kubernetes.io/region': 'gz' }, lookups);
  assert.deepEqual(calls, ['100003']);
  assert.equal(got.region, 'ap-shenzhen');
  assert.equal(got.zone, 'ap-shenzhen-9');
  assert.equal(got.regionSource, 'zoneLookup');
  assert.equal(got.regionEvidence, 'zone lookup: 100003 is ap-shenzhen-9 in ap-shenzhen');
  assert.equal(got.instanceId, 'ins-3ven36lk');
  assert.equal(got.zoneId, '100003');
});

test('a failed, empty or unusable lookup falls back to the built-in table', async () => {
  for (const answer of [
    new Error('DescribeZones: RequestLimitExceeded'),
    undefined,
    { zone: 'x', region: '' },
    { zone: 'ap-beijing-5', region: 'ap-guangzhou' },
  ]) {
    const { calls, lookups } = lookupReturning(answer);
    const got = await resolved(GZ3, {}, lookups);
    assert.deepEqual(calls, ['100003']);
    assert.equal(got.region, 'ap-guangzhou');
    assert.equal(got.zone, 'ap-guangzhou-3');
    assert.equal(got.regionSource, 'zoneTable');
    assert.equal(got.regionEvidence, 'built-in zone table: 100003 is ap-guangzhou-3');
  }
  assert.equal((await resolved(GZ3)).regionSource, 'zoneTable', 'and so does having no lookup');
});

test('a lookup that throws a non-Error value is survived too', async () => {
  const lookups = { zoneById: () => Promise.reject(Object.create(null)) };
  assert.equal((await resolved(GZ3, {}, lookups)).region, 'ap-guangzhou');
});

test('an unknown zone id falls back to the region labels, in order, TKE short codes included', async () => {
  const cases: [Record<string, string>, string, string][] = [
    [
      { 'topology.kubernetes.io/region': 'cd', 'failure-domain.beta.kubernetes.io/region': 'bj' },
      'ap-chengdu',
      'topology.kubernetes.io/region="cd"',
    ],
    [
      { 'failure-domain.beta.kubernetes.io/region': 'gz' },
      'ap-guangzhou',
      'failure-domain.beta.kubernetes.io/region="gz"',
    ],
    [
      { 'topology.kubernetes.io/region': 'ap-singapore' },
      'ap-singapore',
      'topology.kubernetes.io/region="ap-singapore"',
    ],
    [
      { 'topology.com.tencent.cloud.csi.cbs/zone': 'ap-chengdu-1' },
      'ap-chengdu',
      'topology.com.tencent.cloud.csi.cbs/zone="ap-chengdu-1"',
    ],
    [
      { 'topology.kubernetes.io/region': 'sg', 'topology.com.tencent.cloud.csi.cbs/zone': 'ap-nanjing-1' },
      'ap-nanjing',
      'topology.com.tencent.cloud.csi.cbs/zone="ap-nanjing-1"',
    ],
  ];
  for (const code of ['gz', 'sh', 'bj', 'cd', 'nj', 'hk']) {
    const got = await resolved(UNKNOWN, { 'topology.kubernetes.io/region': code });
    assert.match(got.region, /^ap-[a-z]+$/, code);
  }
  for (const [labels, region, label] of cases) {
    const { lookups } = lookupReturning(undefined);
    const got = await resolved(UNKNOWN, labels, lookups);
    assert.equal(got.region, region, JSON.stringify(labels));
    assert.equal(got.regionSource, 'label');
    assert.equal(got.regionEvidence, `label ${label}`);
    assert.equal(got.zone, undefined);
  }
});

test('the observed zone id prefixes come last, after the labels', async () => {
  const newGuangzhouZone = identity('qcloud:///100099/ins-3ven36lk');
  const byPrefix = await resolved(newGuangzhouZone);
  assert.equal(byPrefix.region, 'ap-guangzhou');
  assert.equal(byPrefix.regionSource, 'zonePrefix');
  assert.equal(byPrefix.regionEvidence, 'observed zone id prefix 1000xx is ap-guangzhou');
  const byLabel = await resolved(newGuangzhouZone, { 'topology.kubernetes.io/region': 'bj' });
  assert.equal(byLabel.regionSource, 'label');
});

test('when nothing resolves, the error names everything that was tried', async () => {
  const { lookups } = lookupReturning(new Error('connect ECONNREFUSED 127.0.0.1:443'));
  const result = await resolveCloudLocation(UNKNOWN, { 'topology.kubernetes.io/region': 'sg' }, lookups);
  assert.ok(result.kind === 'unresolved');
  assert.equal(result.cloud, 'tencent');
  assert.deepEqual(result.tried, [
    'zone lookup failed: "connect ECONNREFUSED 127.0.0.1:443"',
    'built-in zone table: no entry for 990001',
    'label topology.kubernetes.io/region="sg": neither a known TKE region code (gz, sh, bj, cd, nj, hk) nor a region name',
    'label failure-domain.beta.kubernetes.io/region: not set',
    'label topology.com.tencent.cloud.csi.cbs/zone: not set',
    'observed zone id prefixes: none matches 990001',
  ]);
  assert.equal(
    result.reason,
    'cannot determine the Tencent Cloud CVM region of instance ins-3ven36lk (providerID "qcloud:///990001/ins-3ven36lk"); ' +
      `tried: ${result.tried.join('; ')}`,
  );
  const noLookup = await resolveCloudLocation(UNKNOWN, undefined);
  assert.ok(noLookup.kind === 'unresolved');
  assert.equal(noLookup.tried[0], 'zone lookup: not available');
});

test('the tencentcloud:/// form takes its region from the zone name, without lookups or labels', async () => {
  const { calls, lookups } = lookupReturning({ zone: 'ap-beijing-5', region: 'ap-beijing' });
  const got = await resolved(
    identity('tencentcloud:///ap-guangzhou-3/ins-3ven36lk'),
    { 'topology.kubernetes.io/region': 'bj' },
    lookups,
  );
  assert.deepEqual(calls, []);
  assert.equal(got.region, 'ap-guangzhou');
  assert.equal(got.zone, 'ap-guangzhou-3');
  assert.equal(got.regionSource, 'providerID');
});

test('the built-in zone table holds every pair of the reference, each consistent with the observed prefixes', () => {
  const ids = Object.keys(TENCENT_ZONE_BY_ID);
  assert.equal(ids.length, 54);
  for (const id of ids) {
    const zone = TENCENT_ZONE_BY_ID[id] ?? '';
    assert.match(id, /^[0-9]{6}$/);
    assert.ok(tencentZoneToRegion(zone), zone);
    assert.equal(zone.split('-').at(-1), String(Number(id.slice(-2))), `${id} ${zone}`);
    const prefixRegion = TENCENT_REGION_BY_OBSERVED_ZONE_ID_PREFIX[id.slice(0, 4)];
    if (prefixRegion !== undefined) assert.equal(prefixRegion, tencentZoneToRegion(zone), id);
  }
  const samples: [string, string][] = [
    ['100003', 'ap-guangzhou-3'],
    ['200004', 'ap-shanghai-4'],
    ['300003', 'ap-hongkong-3'],
    ['800005', 'ap-beijing-5'],
    ['160001', 'ap-chengdu-1'],
    ['330001', 'ap-nanjing-1'],
    ['110002', 'ap-shenzhen-fsi-2'],
    ['460001', 'ap-beijing-fsi-1'],
    ['900001', 'ap-singapore-1'],
    ['240001', 'eu-moscow-1'],
  ];
  for (const [id, zone] of samples) assert.equal(TENCENT_ZONE_BY_ID[id], zone);
});

test('prototype property names are not zone ids, region codes or labels', async () => {
  const proto = identity('qcloud:///100003/ins-3ven36lk');
  const labels = JSON.parse('{"__proto__": {"topology.kubernetes.io/region": "gz"}}') as Record<
    string,
    string
  >;
  const result = await resolveCloudLocation({ ...proto, zoneId: '990001' }, labels);
  assert.equal(result.kind, 'unresolved');
  for (const code of ['constructor', 'toString', '__proto__']) {
    const r = await resolveCloudLocation(UNKNOWN, { 'topology.kubernetes.io/region': code });
    assert.equal(r.kind, 'unresolved', code);
  }
});
