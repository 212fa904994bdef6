import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProviderID } from '../../../src/cloud/registry/provider-id.js';

test('simulated providerIDs name region, zone and instance', () => {
  const providerID = 'simulated:///sim-east-1/sim-east-1a/sim-node-1';
  assert.deepEqual(parseProviderID(providerID), {
    kind: 'ok',
    identity: {
      cloud: 'simulated',
      providerID,
      region: 'sim-east-1',
      zone: 'sim-east-1a',
      instanceId: 'sim-node-1',
    },
  });
  const longest = `simulated:///${'r'.repeat(63)}/${'z'.repeat(63)}/sim-${'i'.repeat(59)}`;
  assert.equal(parseProviderID(longest).kind, 'ok');
});

test('malformed simulated providerIDs are invalid, with the precise reason', () => {
  const cases: [string, RegExp][] = [
    ['simulated:///sim-east-1/sim-node-1', /\(3 path segments\), found 2/],
    ['simulated:///sim-east-1/sim-east-1a/sim-node-1/x', /\(3 path segments\), found 4/],
    ['simulated://sim-east-1/sim-east-1a/sim-node-1', /with three slashes/],
    ['simulated:////sim-east-1a/sim-node-1', /region "" is not lowercase/],
    ['simulated:///Sim-East-1/sim-east-1a/sim-node-1', /region "Sim-East-1" is not lowercase/],
    ['simulated:///sim-east-1/sim--east-1a/sim-node-1', /zone "sim--east-1a" is not lowercase/],
    ['simulated:///sim-east-1/sim-east-1a/node-1', /instance id "node-1" is not "sim-" followed by/],
    ['simulated:///sim-east-1/sim-east-1a/sim-', /instance id "sim-" is not/],
    ['simulated:///sim-east-1/sim-east-1a/sim-node-1-', /instance id "sim-node-1-" is not/],
    ['simulated:///sim-east-1/sim-east-1a/sim-Node-1', /instance id "sim-Node-1" is not/],
    [
      `simulated:///${'r'.repeat(64)}/sim-east-1a/sim-node-1`,
      /region "r{64}" is not .*at most 63 characters/,
    ],
    [`simulated:///sim-east-1/sim-east-1a/sim-${'i'.repeat(60)}`, /instance id "sim-i{60}" is not/],
    ['SIMULATED:///sim-east-1/sim-east-1a/sim-node-1', /the scheme must be lowercase/],
  ];
  for (const [providerID, reason] of cases) {
    const result = parseProviderID(providerID);
    assert.equal(result.kind, 'invalid', providerID);
    assert.ok(result.kind === 'invalid');
    assert.equal(result.cloud, 'simulated');
    assert.match(result.reason, reason, providerID);
  }
});
