import type { InstanceLocator, RegionSource } from './definition.js';

/** The VM behind a Node, as its spec.providerID names it. */
export interface CloudIdentity extends InstanceLocator {
  /** The cloud's name (CloudDefinition.name). */
  cloud: string;
  /** The providerID this identity was parsed from. */
  providerID: string;
}

/** A CloudIdentity whose region is known: everything a cloud provider needs to act on the VM. */
export interface ResolvedCloudIdentity extends CloudIdentity {
  region: string;
  regionSource: RegionSource;
  /** Human-readable origin of the region, for dry-run reports and logs. */
  regionEvidence: string;
}
