/** What CVM DescribeZones returns per zone; ZoneId is a string of digits. */
export interface ZoneInfo {
  Zone: string;
  ZoneName: string;
  ZoneId: string;
  ZoneState: 'AVAILABLE' | 'UNAVAILABLE';
}

export interface RegionInfo {
  Region: string;
  RegionName: string;
  RegionState: 'AVAILABLE' | 'UNAVAILABLE';
}

/** Known zone id -> zone name pairs (TKE labels nodes with the numeric id, the API speaks zone names). */
export const ZONE_IDS: ReadonlyArray<readonly [zoneId: string, zone: string]> = [
  ['100001', 'ap-guangzhou-1'],
  ['100002', 'ap-guangzhou-2'],
  ['100003', 'ap-guangzhou-3'],
  ['100004', 'ap-guangzhou-4'],
  ['100005', 'ap-guangzhou-5'],
  ['100006', 'ap-guangzhou-6'],
  ['100007', 'ap-guangzhou-7'],
  ['200001', 'ap-shanghai-1'],
  ['200002', 'ap-shanghai-2'],
  ['200003', 'ap-shanghai-3'],
  ['200004', 'ap-shanghai-4'],
  ['200005', 'ap-shanghai-5'],
  ['200006', 'ap-shanghai-6'],
  ['200007', 'ap-shanghai-7'],
  ['800001', 'ap-beijing-1'],
  ['800002', 'ap-beijing-2'],
  ['800003', 'ap-beijing-3'],
  ['800004', 'ap-beijing-4'],
  ['800005', 'ap-beijing-5'],
  ['800006', 'ap-beijing-6'],
  ['800007', 'ap-beijing-7'],
  ['110001', 'ap-shenzhen-fsi-1'],
  ['110002', 'ap-shenzhen-fsi-2'],
  ['110003', 'ap-shenzhen-fsi-3'],
  ['700001', 'ap-shanghai-fsi-1'],
  ['700002', 'ap-shanghai-fsi-2'],
  ['700003', 'ap-shanghai-fsi-3'],
  ['460001', 'ap-beijing-fsi-1'],
  ['360001', 'ap-tianjin-1'],
  ['360002', 'ap-tianjin-2'],
  ['330001', 'ap-nanjing-1'],
  ['330002', 'ap-nanjing-2'],
  ['330003', 'ap-nanjing-3'],
  ['160001', 'ap-chengdu-1'],
  ['160002', 'ap-chengdu-2'],
  ['190001', 'ap-chongqing-1'],
  ['390001', 'ap-taipei-1'],
  ['300001', 'ap-hongkong-1'],
  ['300002', 'ap-hongkong-2'],
  ['300003', 'ap-hongkong-3'],
  ['900001', 'ap-singapore-1'],
  ['230001', 'ap-bangkok-1'],
  ['210001', 'ap-mumbai-1'],
  ['210002', 'ap-mumbai-2'],
  ['180001', 'ap-seoul-1'],
  ['180002', 'ap-seoul-2'],
  ['250001', 'ap-tokyo-1'],
  ['150001', 'na-siliconvalley-1'],
  ['150002', 'na-siliconvalley-2'],
  ['220001', 'na-ashburn-1'],
  ['220002', 'na-ashburn-2'],
  ['400001', 'na-toronto-1'],
  ['170001', 'eu-frankfurt-1'],
  ['240001', 'eu-moscow-1'],
];

/** Zones the SDK's ZoneInfo documentation marks as sold out. */
const SOLD_OUT = new Set(['ap-guangzhou-1', 'ap-guangzhou-2', 'ap-hongkong-1', 'ap-beijing-1']);

/** Region -> [display name, city used in zone names]. Only the Region ids are load-bearing. */
const REGIONS: Record<string, readonly [name: string, city: string]> = {
  'ap-guangzhou': ['South China(Guangzhou)', 'Guangzhou'],
  'ap-shanghai': ['East China(Shanghai)', 'Shanghai'],
  'ap-beijing': ['North China(Beijing)', 'Beijing'],
  'ap-shenzhen-fsi': ['South China(Shenzhen Finance)', 'Shenzhen Finance'],
  'ap-shanghai-fsi': ['East China(Shanghai Finance)', 'Shanghai Finance'],
  'ap-beijing-fsi': ['North China(Beijing Finance)', 'Beijing Finance'],
  'ap-tianjin': ['North China(Tianjin)', 'Tianjin'],
  'ap-nanjing': ['East China(Nanjing)', 'Nanjing'],
  'ap-chengdu': ['Southwest China(Chengdu)', 'Chengdu'],
  'ap-chongqing': ['Southwest China(Chongqing)', 'Chongqing'],
  'ap-taipei': ['Taipei, China', 'Taipei'],
  'ap-hongkong': ['Hong Kong, China', 'Hong Kong'],
  'ap-singapore': ['Southeast Asia(Singapore)', 'Singapore'],
  'ap-bangkok': ['Southeast Asia(Bangkok)', 'Bangkok'],
  'ap-mumbai': ['South Asia(Mumbai)', 'Mumbai'],
  'ap-seoul': ['Northeast Asia(Seoul)', 'Seoul'],
  'ap-tokyo': ['Northeast Asia(Tokyo)', 'Tokyo'],
  'na-siliconvalley': ['West US(Silicon Valley)', 'Silicon Valley'],
  'na-ashburn': ['East US(Virginia)', 'Virginia'],
  'na-toronto': ['North America(Toronto)', 'Toronto'],
  'eu-frankfurt': ['Europe(Frankfurt)', 'Frankfurt'],
  'eu-moscow': ['Europe(Moscow)', 'Moscow'],
};

export function regionOfZone(zone: string): string {
  return zone.replace(/-\d+$/, '');
}

function zoneInfo([zoneId, zone]: readonly [string, string]): ZoneInfo {
  const city = REGIONS[regionOfZone(zone)]?.[1] ?? regionOfZone(zone);
  return {
    Zone: zone,
    ZoneName: `${city} Zone ${zone.slice(zone.lastIndexOf('-') + 1)}`,
    ZoneId: zoneId,
    ZoneState: SOLD_OUT.has(zone) ? 'UNAVAILABLE' : 'AVAILABLE',
  };
}

export const DEFAULT_ZONES: readonly ZoneInfo[] = ZONE_IDS.map(zoneInfo);

export function regionInfo(region: string): RegionInfo {
  return { Region: region, RegionName: REGIONS[region]?.[0] ?? region, RegionState: 'AVAILABLE' };
}
