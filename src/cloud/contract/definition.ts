// How a cloud names its VMs in providerIDs and finds their region: the definition part of its plugin (plugin.ts).

export type NodeLabels = Readonly<Record<string, string>>;

/** What a providerID says about the VM, apart from which cloud it is on. */
export interface InstanceLocator {
  instanceId: string;
  /** Zone name: an AWS availability zone, a Tencent zone such as ap-guangzhou-3, a simulated zone. */
  zone?: string;
  /** Tencent's numeric zone id, as in qcloud:///100003/ins-…. */
  zoneId?: string;
  /** Set only when the providerID alone determines the region. */
  region?: string;
}

export type LocatorParseResult =
  | { kind: 'ok'; locator: InstanceLocator }
  | { kind: 'invalid'; reason: string }
  /** `reason` completes "providerID … is", e.g. "an AWS Fargate node: …". */
  | { kind: 'unsupported'; cloud: string; reason: string };

/** How the region was found: from the providerID, a cloud zone lookup, the built-in tables, or node labels. */
export type RegionSource = 'providerID' | 'zoneLookup' | 'zoneTable' | 'zonePrefix' | 'label';

export interface ZoneInfo {
  zone: string;
  region: string;
}

/** Calls into a cloud API that region resolution may use; each is optional and its failure is not fatal. */
export interface LocationLookups {
  /** Zone id → zone and region (Tencent CVM DescribeZones). Resolves undefined for an unknown zone id. */
  zoneById?: (zoneId: string) => Promise<ZoneInfo | undefined>;
}

export type RegionResolution =
  | {
      kind: 'resolved';
      region: string;
      source: Exclude<RegionSource, 'providerID'>;
      /** Human-readable: which lookup, table entry or label gave the region. */
      evidence: string;
      /** The zone name, when the resolution learnt it (e.g. 100003 → ap-guangzhou-3). */
      zone?: string;
    }
  | { kind: 'unresolved'; tried: string[] };

export interface CloudDefinition<N extends string = string> {
  readonly name: N;
  readonly displayName: string;
  /** providerID schemes (the part before "://"), lowercase and unique across clouds. */
  readonly schemes: readonly string[];
  /**
   * Parses what follows "<scheme>://". The caller has already rejected whitespace around the providerID, a scheme
   * that is not lowercase and an over-long providerID.
   */
  parseProviderID(rest: string, scheme: string): LocatorParseResult;
  /** Finds the region when the providerID carried none. Must not throw; failed lookups go into `tried`. */
  resolveRegion?(
    locator: InstanceLocator,
    labels: NodeLabels,
    lookups: LocationLookups,
  ): Promise<RegionResolution>;
}
