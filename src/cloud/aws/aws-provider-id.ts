import type { LocatorParseResult } from '../contract/definition.js';
import { LOWERCASE_TOKEN, quote, segmentCountMismatch } from '../provider-id-parts.js';
import { awsZoneToRegion } from './aws-zone.js';

// EC2 instance ids are "i-" plus 8 (older) or 17 lowercase hex digits. cloud-provider-aws only checks ^i-[^/]*$
// (instances.go MapToAWSInstanceID); the stricter form keeps anything that is not an instance id away from EC2.
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

// cloud-provider-aws names Fargate nodes by a last path token starting "fargate-", in both
// aws:///<zone>/fargate-ip-… and aws:///<zone>/<profile-hash>/fargate-ip-…  (variant/fargate/fargate.go NodeID).
const FARGATE_PREFIX = 'fargate-';

const FORMAT = 'aws:///<zone>/<instance-id>';

/**
 * Parses what follows "aws://". Accepted: "/<zone>/<id>" (aws:///…, what the AWS cloud controller manager writes),
 * "//<id>" (aws:////…, empty zone) and "<zone>/<id>" (aws://<zone>/…, the zone in the URL host position, which
 * cloud-provider-aws also reads because it parses the providerID as a URL).
 */
export function parseAwsProviderID(rest: string): LocatorParseResult {
  const segments = (rest.startsWith('/') ? rest.slice(1) : rest).split('/');
  const last = segments[segments.length - 1] ?? '';
  if (last.startsWith(FARGATE_PREFIX)) {
    return {
      kind: 'unsupported',
      cloud: 'aws-fargate',
      reason:
        'an AWS Fargate node: each Fargate pod runs in its own micro-VM that EC2 does not expose, ' +
        'so there is no instance to reboot',
    };
  }
  if (segments.length !== 2) {
    return { kind: 'invalid', reason: segmentCountMismatch(FORMAT, 2, segments.length) };
  }
  const [zone = '', instanceId = ''] = segments;
  if (zone !== '' && !LOWERCASE_TOKEN.test(zone)) {
    return {
      kind: 'invalid',
      reason: `availability zone ${quote(zone)} is not lowercase letters and digits in dash-separated groups`,
    };
  }
  if (!INSTANCE_ID.test(instanceId)) {
    return {
      kind: 'invalid',
      reason: `instance id ${quote(instanceId)} is not "i-" followed by 8 or 17 lowercase hexadecimal digits`,
    };
  }
  if (zone === '') return { kind: 'ok', locator: { instanceId } };
  const region = awsZoneToRegion(zone);
  return { kind: 'ok', locator: region === undefined ? { instanceId, zone } : { instanceId, zone, region } };
}
