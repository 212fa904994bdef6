import type { CloudDefinition, LocatorParseResult } from '../contract/definition.js';
import { LOWERCASE_TOKEN, quote, segmentCountMismatch, tripleSlashSegments } from '../provider-id-parts.js';

// A cloud for the sandbox and tests: simulated:///<region>/<zone>/<instance id>, e.g.
// simulated:///sim-east-1/sim-east-1a/sim-node-1. Region and zone are lowercase letters and digits in dash-separated
// groups; the instance id is "sim-" followed by the same; each is at most 63 characters (a DNS label).
const FORMAT = 'simulated:///<region>/<zone>/<instance-id>';
const MAX_PART = 63;
const INSTANCE_ID = /^sim-[a-z0-9]+(?:-[a-z0-9]+)*$/;

function checkPart(what: string, value: string, pattern: RegExp, expected: string): string | undefined {
  return pattern.test(value) && value.length <= MAX_PART
    ? undefined
    : `${what} ${quote(value)} is not ${expected} (at most ${MAX_PART} characters)`;
}

function parseSimulatedProviderID(rest: string): LocatorParseResult {
  const segments = tripleSlashSegments(rest);
  if (segments === undefined) return { kind: 'invalid', reason: `expected ${FORMAT}, with three slashes` };
  if (segments.length !== 3) {
    return { kind: 'invalid', reason: segmentCountMismatch(FORMAT, 3, segments.length) };
  }
  const [region = '', zone = '', instanceId = ''] = segments;
  const token = 'lowercase letters and digits in dash-separated groups';
  const problem =
    checkPart('region', region, LOWERCASE_TOKEN, token) ??
    checkPart('zone', zone, LOWERCASE_TOKEN, token) ??
    checkPart('instance id', instanceId, INSTANCE_ID, `"sim-" followed by ${token}`);
  return problem === undefined
    ? { kind: 'ok', locator: { instanceId, zone, region } }
    : { kind: 'invalid', reason: problem };
}

export const simulatedCloud: CloudDefinition<'simulated'> = {
  name: 'simulated',
  displayName: 'simulated cloud',
  schemes: ['simulated'],
  parseProviderID: parseSimulatedProviderID,
};
