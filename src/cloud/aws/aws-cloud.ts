import type {
  CloudDefinition,
  InstanceLocator,
  NodeLabels,
  RegionResolution,
} from '../contract/definition.js';
import { quote } from '../provider-id-parts.js';
import { LEGACY_REGION_LABEL, regionFromLabels, TOPOLOGY_REGION_LABEL } from '../region-labels.js';
import { parseAwsProviderID } from './aws-provider-id.js';
import { AWS_REGION } from './aws-zone.js';

// On EKS and with cloud-provider-aws both labels hold the API region name (us-east-1), unlike on TKE.
const REGION_LABEL_RULES = [TOPOLOGY_REGION_LABEL, LEGACY_REGION_LABEL].map((label) => ({
  label,
  interpret: (value: string) =>
    AWS_REGION.test(value) ? { region: value } : { rejected: 'not an AWS region name' },
}));

async function resolveAwsRegion(locator: InstanceLocator, labels: NodeLabels): Promise<RegionResolution> {
  const tried = [
    locator.zone === undefined
      ? 'providerID: no availability zone'
      : `providerID: availability zone ${quote(locator.zone)} does not start with a region name`,
  ];
  return regionFromLabels(labels, REGION_LABEL_RULES, tried) ?? { kind: 'unresolved', tried };
}

export const awsCloud: CloudDefinition<'aws'> = {
  name: 'aws',
  displayName: 'AWS EC2',
  schemes: ['aws'],
  parseProviderID: parseAwsProviderID,
  resolveRegion: resolveAwsRegion,
};
