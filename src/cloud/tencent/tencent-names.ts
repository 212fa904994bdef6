// Tencent Cloud region and zone names: a region is ap-guangzhou, ap-shenzhen-fsi, na-siliconvalley; a zone is its
// region plus "-<n>" (ap-guangzhou-3). The region of a zone is its name minus that suffix, as the open-source CCM's
// zones and the CBS CSI zone label show (prior-art.md §9).
const REGION = /^[a-z]{2}-[a-z]+(?:-[a-z]+)*$/;
const ZONE = /^([a-z]{2}-[a-z]+(?:-[a-z]+)*)-[0-9]+$/;

export function isTencentRegion(name: string): boolean {
  return REGION.test(name);
}

export function tencentZoneToRegion(zone: string): string | undefined {
  return ZONE.exec(zone)?.[1];
}

/** Instance ids are "ins-" plus lowercase letters and digits (8 today: ins-3ven36lk); cloud-apis.md §2.5, §2.8. */
export const TENCENT_INSTANCE_ID = /^ins-[a-z0-9]+$/;
