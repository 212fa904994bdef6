import type {
  InstanceLocator,
  LocationLookups,
  NodeLabels,
  RegionResolution,
} from '../contract/definition.js';
import { quote } from '../provider-id-parts.js';
import {
  LEGACY_REGION_LABEL,
  regionFromLabels,
  type RegionLabelRule,
  TOPOLOGY_REGION_LABEL,
} from '../region-labels.js';
import { isTencentRegion, tencentZoneToRegion } from './tencent-names.js';
import { TENCENT_REGION_BY_OBSERVED_ZONE_ID_PREFIX, TENCENT_ZONE_BY_ID } from './tencent-zone-table.js';

// TKE puts short codes, not API region names, in both region labels: the `kubectl get nodes --show-labels` example
// of TKE's guide "Setting a Node Label" (tencentyun/intlcloud-documents) shows
// failure-domain.beta.kubernetes.io/region=sh beside the numeric zone 200001. Only the codes seen on TKE nodes are
// listed; other product docs show more (sz, sg, cq…) that are not verified for TKE.
const TKE_REGION_CODES: Readonly<Record<string, string>> = {
  gz: 'ap-guangzhou',
  sh: 'ap-shanghai',
  bj: 'ap-beijing',
  cd: 'ap-chengdu',
  nj: 'ap-nanjing',
  hk: 'ap-hongkong',
};

/** Set by the CBS CSI driver only (e.g. ap-chengdu-1), so it is one source among several, never the only one. */
export const CBS_CSI_ZONE_LABEL = 'topology.com.tencent.cloud.csi.cbs/zone';

const regionLabel = (label: string): RegionLabelRule => ({
  label,
  interpret: (value) => {
    const region = Object.hasOwn(TKE_REGION_CODES, value) ? TKE_REGION_CODES[value] : undefined;
    if (region !== undefined) return { region };
    if (isTencentRegion(value)) return { region: value };
    return {
      rejected: `neither a known TKE region code (${Object.keys(TKE_REGION_CODES).join(', ')}) nor a region name`,
    };
  },
});

const LABEL_RULES: readonly RegionLabelRule[] = [
  regionLabel(TOPOLOGY_REGION_LABEL),
  regionLabel(LEGACY_REGION_LABEL),
  {
    label: CBS_CSI_ZONE_LABEL,
    interpret: (value) => {
      const region = tencentZoneToRegion(value);
      return region === undefined ? { rejected: 'not a zone name such as ap-chengdu-1' } : { region };
    },
  },
];

async function fromZoneLookup(
  zoneId: string,
  lookups: LocationLookups,
  tried: string[],
): Promise<RegionResolution | undefined> {
  if (lookups.zoneById === undefined) {
    tried.push('zone lookup: not available');
    return undefined;
  }
  try {
    const info = await lookups.zoneById(zoneId);
    // Used only when the zone name and region agree, as DescribeZones answers do (Zone ap-guangzhou-3 in ap-guangzhou).
    if (info !== undefined && tencentZoneToRegion(info.zone) === info.region) {
      const evidence = `zone lookup: ${zoneId} is ${info.zone} in ${info.region}`;
      return { kind: 'resolved', region: info.region, source: 'zoneLookup', evidence, zone: info.zone };
    }
    tried.push(
      info === undefined
        ? `zone lookup: zone id ${zoneId} not found`
        : `zone lookup: unusable answer, zone ${quote(String(info.zone))} in region ${quote(String(info.region))}`,
    );
  } catch (error) {
    tried.push(`zone lookup failed: ${quote(error instanceof Error ? error.message : typeof error)}`);
  }
  return undefined;
}

function fromZoneTable(zoneId: string, tried: string[]): RegionResolution | undefined {
  const zone = Object.hasOwn(TENCENT_ZONE_BY_ID, zoneId) ? TENCENT_ZONE_BY_ID[zoneId] : undefined;
  const region = zone === undefined ? undefined : tencentZoneToRegion(zone);
  if (zone === undefined || region === undefined) {
    tried.push(`built-in zone table: no entry for ${zoneId}`);
    return undefined;
  }
  return {
    kind: 'resolved',
    region,
    source: 'zoneTable',
    evidence: `built-in zone table: ${zoneId} is ${zone}`,
    zone,
  };
}

function fromObservedPrefix(zoneId: string, tried: string[]): RegionResolution | undefined {
  const prefix = zoneId.length === 6 ? zoneId.slice(0, 4) : '';
  const region = Object.hasOwn(TENCENT_REGION_BY_OBSERVED_ZONE_ID_PREFIX, prefix)
    ? TENCENT_REGION_BY_OBSERVED_ZONE_ID_PREFIX[prefix]
    : undefined;
  if (region === undefined) {
    tried.push(`observed zone id prefixes: none matches ${zoneId}`);
    return undefined;
  }
  return {
    kind: 'resolved',
    region,
    source: 'zonePrefix',
    evidence: `observed zone id prefix ${prefix}xx is ${region}`,
  };
}

/**
 * Region of a qcloud:///<zone id>/… node, in order of trust: the cloud's own zone lookup (DescribeZones), the
 * built-in zone table, the node's region labels, and last the observed zone id prefixes.
 */
export async function resolveTencentRegion(
  locator: InstanceLocator,
  labels: NodeLabels,
  lookups: LocationLookups,
): Promise<RegionResolution> {
  const { zoneId } = locator;
  const tried: string[] = [];
  if (zoneId === undefined) {
    tried.push('providerID: no zone id');
    return regionFromLabels(labels, LABEL_RULES, tried) ?? { kind: 'unresolved', tried };
  }
  return (
    (await fromZoneLookup(zoneId, lookups, tried)) ??
    fromZoneTable(zoneId, tried) ??
    regionFromLabels(labels, LABEL_RULES, tried) ??
    fromObservedPrefix(zoneId, tried) ?? { kind: 'unresolved', tried }
  );
}
