// Tencent Cloud region and zone names: a region is ap-guangzhou, ap-shenzhen-fsi, na-siliconvalley; a zone is its
// region plus "-<n>" (ap-guangzhou-3). The region of a zone is its name minus that suffix, as the open-source CCM's
// zones (TencentCloud/tencentcloud-cloud-controller-manager tencentcloud/instances.go, which names a node's zone by
// its Placement.Zone, e.g. ap-guangzhou-3) and the CBS CSI driver's zone label show.
const REGION = /^[a-z]{2}-[a-z]+(?:-[a-z]+)*$/;
const ZONE = /^([a-z]{2}-[a-z]+(?:-[a-z]+)*)-[0-9]+$/;

export function isTencentRegion(name: string): boolean {
  return REGION.test(name);
}

export function tencentZoneToRegion(zone: string): string | undefined {
  return ZONE.exec(zone)?.[1];
}

/**
 * Instance ids are "ins-" plus lowercase letters and digits, 8 today (TencentCloud/tencentcloud-sdk-nodejs
 * src/services/cvm/v20170312/cvm_models.ts; ins-3ven36lk in kubernetes/autoscaler
 * cluster-autoscaler/cloudprovider/tencentcloud).
 */
export const TENCENT_INSTANCE_ID = /^ins-[a-z0-9]+$/;
