import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudIdentity } from '../../../../src/cloud/contract/identity.js';
import { resolveCloudLocation } from '../../../../src/cloud/registry/location.js';
import { locationLookups } from '../../../../src/cloud/contract/provider.js';
import { parseProviderID } from '../../../../src/cloud/registry/provider-id.js';
import { TencentProvider } from '../../../../src/cloud/tencent/tencent-provider.js';
import { TencentZoneLookup, type ZoneSource } from '../../../../src/cloud/tencent/tencent-zone-lookup.js';
import { startTencentEmulator, type TencentEmulator } from '../../../emulators/tencent/tencent-emulator.js';
import { DEFAULT_ZONES } from '../../../emulators/tencent/tencent-zones.js';
import { cloudFailure, isolateCloudEnvironment, TENCENT_KEY } from './helpers.js';

isolateCloudEnvironment();

type TestContext = { after: (fn: () => void | Promise<void>) => void };

// A zone the built-in table does not know, so only DescribeZones can place it.
const JAKARTA = {
  Zone: 'ap-jakarta-1',
  ZoneName: 'Jakarta Zone 1',
  ZoneId: '720001',
  ZoneState: 'AVAILABLE',
} as const;

async function setUp(
  t: TestContext,
  timeoutMs = 5000,
): Promise<{ cvm: TencentEmulator; tencent: TencentProvider }> {
  const cvm = await startTencentEmulator({
    credentials: { [TENCENT_KEY.secretId]: TENCENT_KEY.secretKey },
    zones: [...DEFAULT_ZONES, JAKARTA],
  });
  t.after(() => cvm.stop());
  const tencent = new TencentProvider({
    timeoutMs,
    maxAttempts: 3,
    endpoint: `http://cvm.tencentcloudapi.com:${cvm.port}`,
    connectAddress: '127.0.0.1',
    credential: TENCENT_KEY,
    backoff: { baseDelayMs: 10, maxDelayMs: 50 },
  });
  t.after(() => tencent.close());
  return { cvm, tencent };
}

function identity(providerID: string): CloudIdentity {
  const parsed = parseProviderID(providerID);
  assert.ok(parsed.kind === 'ok', providerID);
  return parsed.identity;
}

test('a numeric zone id is found through DescribeRegions and DescribeZones, then served from the cache', async (t) => {
  const { cvm, tencent } = await setUp(t);
  assert.deepEqual(await tencent.lookupZone('720001'), { zone: 'ap-jakarta-1', region: 'ap-jakarta' });
  const regions = cvm.regions();
  assert.equal(cvm.callsTo('DescribeRegions').length, 1);
  assert.equal(cvm.callsTo('DescribeRegions')[0]?.region, undefined);
  assert.deepEqual(
    cvm
      .callsTo('DescribeZones')
      .map((c) => c.region)
      .sort(),
    [...regions].sort(),
  );
  assert.ok(cvm.calls.every((c) => c.signatureValid));

  cvm.clearCalls();
  assert.deepEqual(await tencent.lookupZone('200002'), { zone: 'ap-shanghai-2', region: 'ap-shanghai' });
  assert.equal(await tencent.lookupZone('990001'), undefined);
  assert.equal(cvm.calls.length, 0);
});

test('resolveCloudLocation derives the region of a TKE providerID from the lookup', async (t) => {
  const { tencent } = await setUp(t);
  const result = await resolveCloudLocation(
    identity('qcloud:///720001/ins-3ven36lk'),
    {},
    locationLookups(tencent),
  );
  assert.ok(result.kind === 'resolved');
  assert.deepEqual(
    [result.identity.region, result.identity.zone, result.identity.regionSource],
    ['ap-jakarta', 'ap-jakarta-1', 'zoneLookup'],
  );
});

test('concurrent lookups share one read of the zone table', async (t) => {
  const { cvm, tencent } = await setUp(t);
  const answers = await Promise.all(['100003', '200002', '720001'].map((id) => tencent.lookupZone(id)));
  assert.deepEqual(
    answers.map((a) => a?.region),
    ['ap-guangzhou', 'ap-shanghai', 'ap-jakarta'],
  );
  assert.equal(cvm.callsTo('DescribeRegions').length, 1);
  assert.equal(cvm.callsTo('DescribeZones').length, cvm.regions().length);
});

test('a hung DescribeRegions is a Timeout within the configured time, and region resolution moves on', async (t) => {
  const { cvm, tencent } = await setUp(t, 300);
  cvm.inject({ action: 'DescribeRegions', fault: 'hang' });
  const started = performance.now();
  await cloudFailure(tencent.lookupZone('100003'), 'Timeout', /got no answer within 300 ms/);
  assert.ok(performance.now() - started < 1500);
  const result = await resolveCloudLocation(
    identity('qcloud:///100003/ins-3ven36lk'),
    {},
    locationLookups(tencent),
  );
  assert.ok(result.kind === 'resolved');
  assert.equal(result.identity.regionSource, 'zoneTable');
});

function fakeSource(zones: Record<string, Record<string, string>>) {
  const calls: string[] = [];
  const failing = new Set<string>();
  const source: ZoneSource = {
    regions: async () => {
      calls.push('regions');
      if (failing.has('regions')) throw new Error('DescribeRegions: InternalError');
      return Object.keys(zones);
    },
    zones: async (region) => {
      calls.push(region);
      if (failing.has(region)) throw new Error(`DescribeZones ${region}: InternalError`);
      return Object.entries(zones[region] ?? {}).map(([zoneId, zone]) => ({ zoneId, zone }));
    },
  };
  return { source, calls, failing };
}

test('the table expires after its TTL; a partial or failed read is retried sooner', async () => {
  let now = 0;
  const { source, calls, failing } = fakeSource({
    'ap-guangzhou': { '100003': 'ap-guangzhou-3' },
    'ap-shanghai': { '200002': 'ap-shanghai-2' },
  });
  const lookup = new TencentZoneLookup(source, { ttlMs: 1000, retryAfterMs: 100, now: () => now });
  assert.equal((await lookup.lookup('100003'))?.zone, 'ap-guangzhou-3');
  assert.deepEqual(calls.splice(0), ['regions', 'ap-guangzhou', 'ap-shanghai']);
  now = 999;
  assert.equal(await lookup.lookup('999999'), undefined);
  assert.deepEqual(calls, []);

  now = 1000;
  failing.add('ap-shanghai');
  assert.equal((await lookup.lookup('100003'))?.region, 'ap-guangzhou');
  await assert.rejects(lookup.lookup('200002'), /no region that answered.*ap-shanghai/);
  assert.deepEqual(calls.splice(0), ['regions', 'ap-guangzhou', 'ap-shanghai']);

  now = 1100;
  failing.clear();
  failing.add('regions');
  await assert.rejects(lookup.lookup('200002'), /DescribeRegions failed/);
  now = 1150;
  await assert.rejects(lookup.lookup('200002'), /DescribeRegions failed/);
  assert.deepEqual(calls.splice(0), ['regions']);
  now = 1200;
  failing.clear();
  assert.equal((await lookup.lookup('200002'))?.zone, 'ap-shanghai-2');
});
