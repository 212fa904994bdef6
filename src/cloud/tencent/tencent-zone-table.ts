// Built-in fallback for Tencent's numeric zone ids, used when the CVM DescribeZones lookup is unavailable.
// DescribeZones is authoritative; these tables only cover zones known when they were written.

/**
 * Zone id → zone: the pairs in yunionio/cloudmux pkg/multicloud/qcloud
 * elasticcache_instance.go zoneMaps, tencentcloudstack/terraform-provider-tencentcloud extension_redis.go
 * REDIS_ZONE_ID2NAME, and the DescribeZones examples in TencentCloud/tencentcloud-cli.
 */
export const TENCENT_ZONE_BY_ID: Readonly<Record<string, string>> = {
  '100001': 'ap-guangzhou-1',
  '100002': 'ap-guangzhou-2',
  '100003': 'ap-guangzhou-3',
  '100004': 'ap-guangzhou-4',
  '100005': 'ap-guangzhou-5',
  '100006': 'ap-guangzhou-6',
  '100007': 'ap-guangzhou-7',
  '110001': 'ap-shenzhen-fsi-1',
  '110002': 'ap-shenzhen-fsi-2',
  '110003': 'ap-shenzhen-fsi-3',
  '150001': 'na-siliconvalley-1',
  '150002': 'na-siliconvalley-2',
  '160001': 'ap-chengdu-1',
  '160002': 'ap-chengdu-2',
  '170001': 'eu-frankfurt-1',
  '180001': 'ap-seoul-1',
  '180002': 'ap-seoul-2',
  '190001': 'ap-chongqing-1',
  '200001': 'ap-shanghai-1',
  '200002': 'ap-shanghai-2',
  '200003': 'ap-shanghai-3',
  '200004': 'ap-shanghai-4',
  '200005': 'ap-shanghai-5',
  '200006': 'ap-shanghai-6',
  '200007': 'ap-shanghai-7',
  '210001': 'ap-mumbai-1',
  '210002': 'ap-mumbai-2',
  '220001': 'na-ashburn-1',
  '220002': 'na-ashburn-2',
  '230001': 'ap-bangkok-1',
  '240001': 'eu-moscow-1',
  '250001': 'ap-tokyo-1',
  '300001': 'ap-hongkong-1',
  '300002': 'ap-hongkong-2',
  '300003': 'ap-hongkong-3',
  '330001': 'ap-nanjing-1',
  '330002': 'ap-nanjing-2',
  '330003': 'ap-nanjing-3',
  '360001': 'ap-tianjin-1',
  '360002': 'ap-tianjin-2',
  '390001': 'ap-taipei-1',
  '400001': 'na-toronto-1',
  '460001': 'ap-beijing-fsi-1',
  '700001': 'ap-shanghai-fsi-1',
  '700002': 'ap-shanghai-fsi-2',
  '700003': 'ap-shanghai-fsi-3',
  '800001': 'ap-beijing-1',
  '800002': 'ap-beijing-2',
  '800003': 'ap-beijing-3',
  '800004': 'ap-beijing-4',
  '800005': 'ap-beijing-5',
  '800006': 'ap-beijing-6',
  '800007': 'ap-beijing-7',
  '900001': 'ap-singapore-1',
};

/**
 * Observed, not documented: the first four digits of a six-digit zone id, for the regions whose zone ids the table
 * above and TKE node labels show. Tencent publishes no such rule; it fills gaps in the table
 * above (e.g. a new ap-guangzhou zone) and is tried only after the table and the node labels.
 */
export const TENCENT_REGION_BY_OBSERVED_ZONE_ID_PREFIX: Readonly<Record<string, string>> = {
  '1000': 'ap-guangzhou',
  '1600': 'ap-chengdu',
  '2000': 'ap-shanghai',
  '3000': 'ap-hongkong',
  '3300': 'ap-nanjing',
  '8000': 'ap-beijing',
};
