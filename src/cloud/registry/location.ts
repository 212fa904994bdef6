import type { LocationLookups, NodeLabels, RegionResolution } from '../contract/definition.js';
import type { CloudIdentity, ResolvedCloudIdentity } from '../contract/identity.js';
import { cloudNamed } from './clouds.js';
import { quote } from '../provider-id-parts.js';

export type CloudLocationResult =
  | { kind: 'resolved'; identity: ResolvedCloudIdentity }
  | { kind: 'unresolved'; cloud: string; reason: string; tried: string[] };

const NO_RESOLVER: RegionResolution = { kind: 'unresolved', tried: ['providerID: no region'] };

/**
 * The region of the VM behind a node: from its providerID when that names it, otherwise by the cloud's own rules
 * (zone lookups, built-in tables, node labels). Lookup failures are not fatal; they are listed in the reason when
 * nothing else resolves the region either.
 */
export async function resolveCloudLocation(
  identity: CloudIdentity,
  labels: NodeLabels | undefined,
  lookups: LocationLookups = {},
): Promise<CloudLocationResult> {
  if (identity.region !== undefined) {
    const regionEvidence = `providerID ${quote(identity.providerID)}`;
    return {
      kind: 'resolved',
      identity: { ...identity, region: identity.region, regionSource: 'providerID', regionEvidence },
    };
  }
  const cloud = cloudNamed(identity.cloud);
  const resolution = (await cloud.resolveRegion?.(identity, labels ?? {}, lookups)) ?? NO_RESOLVER;
  if (resolution.kind === 'unresolved') {
    const reason =
      `cannot determine the ${cloud.displayName} region of instance ${identity.instanceId} ` +
      `(providerID ${quote(identity.providerID)}); tried: ${resolution.tried.join('; ')}`;
    return { kind: 'unresolved', cloud: identity.cloud, reason, tried: resolution.tried };
  }
  const { region, source, evidence } = resolution;
  const zone = identity.zone ?? resolution.zone;
  return {
    kind: 'resolved',
    identity: {
      ...identity,
      ...(zone === undefined ? {} : { zone }),
      region,
      regionSource: source,
      regionEvidence: evidence,
    },
  };
}
