import type { LocatorParseResult } from '../contract/definition.js';
import { quote, segmentCountMismatch, tripleSlashSegments } from '../provider-id-parts.js';
import { TENCENT_INSTANCE_ID, tencentZoneToRegion } from './tencent-names.js';

// TKE writes qcloud:///<numeric zone id>/<instance id> (qcloud:///100003/ins-3ven36lk; kubernetes/autoscaler
// cloudprovider/tencentcloud TcRefFromProviderID). The open-source TencentCloud/tencentcloud-cloud-controller-manager
// writes tencentcloud:///<zone>/<instance id> (instances.go InstanceID returns "/<zone>/<id>").
const QCLOUD_FORMAT = 'qcloud:///<zone-id>/<instance-id>';
const TENCENTCLOUD_FORMAT = 'tencentcloud:///<zone>/<instance-id>';
const ZONE_ID = /^[0-9]{1,12}$/;

type ZoneCheck = (
  zone: string,
) => { zoneId: string } | { zone: string; region: string } | { rejected: string };

const checkZoneId: ZoneCheck = (zoneId) =>
  ZONE_ID.test(zoneId)
    ? { zoneId }
    : { rejected: `zone id ${quote(zoneId)} is not numeric (TKE writes numeric zone ids such as 100003)` };

const checkZoneName: ZoneCheck = (zone) => {
  const region = tencentZoneToRegion(zone);
  return region === undefined
    ? { rejected: `zone ${quote(zone)} is not a Tencent Cloud zone name such as ap-guangzhou-3` }
    : { zone, region };
};

function parseZoneAndInstance(rest: string, format: string, checkZone: ZoneCheck): LocatorParseResult {
  const segments = tripleSlashSegments(rest);
  if (segments === undefined) return { kind: 'invalid', reason: `expected ${format}, with three slashes` };
  if (segments.length !== 2) {
    return { kind: 'invalid', reason: segmentCountMismatch(format, 2, segments.length) };
  }
  const [zone = '', instanceId = ''] = segments;
  const where = checkZone(zone);
  if ('rejected' in where) return { kind: 'invalid', reason: where.rejected };
  if (!TENCENT_INSTANCE_ID.test(instanceId)) {
    return {
      kind: 'invalid',
      reason: `instance id ${quote(instanceId)} is not "ins-" followed by lowercase letters and digits`,
    };
  }
  return { kind: 'ok', locator: { instanceId, ...where } };
}

export function parseTencentProviderID(rest: string, scheme: string): LocatorParseResult {
  return scheme === 'qcloud'
    ? parseZoneAndInstance(rest, QCLOUD_FORMAT, checkZoneId)
    : parseZoneAndInstance(rest, TENCENTCLOUD_FORMAT, checkZoneName);
}
