import type { ZoneInfo } from '../contract/definition.js';

/** The two CVM calls the lookup makes. */
export interface ZoneSource {
  /** DescribeRegions: every region name. */
  regions(): Promise<string[]>;
  /** DescribeZones in one region: zone id and zone name of each zone. */
  zones(region: string): Promise<{ zoneId: string; zone: string }[]>;
}

export interface ZoneLookupTiming {
  /** How long a table read from every region is trusted. */
  ttlMs: number;
  /** How long a failed or partial read is kept before the cloud is asked again. */
  retryAfterMs: number;
  now?: () => number;
}

interface ZoneTable {
  zones: ReadonlyMap<string, ZoneInfo>;
  /** Why some regions are missing; empty when every region answered. */
  failures: string[];
  expires: number;
}

// DescribeZones allows 20 requests a second; a handful at a time stays well below that.
const CONCURRENT_REGIONS = 5;

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Tencent's numeric zone id → zone and region, from DescribeRegions and then DescribeZones in each region. The whole
 * table is read at once and cached, since one cluster's nodes share a few zones; concurrent lookups share one read.
 */
export class TencentZoneLookup {
  #table?: ZoneTable;
  #failure?: { error: Error; until: number };
  #reading?: Promise<ZoneTable>;
  readonly #now: () => number;

  constructor(
    private readonly source: ZoneSource,
    private readonly timing: ZoneLookupTiming,
  ) {
    this.#now = timing.now ?? Date.now;
  }

  /** Undefined when every region answered and none has the zone id; throws when some region could not be asked. */
  async lookup(zoneId: string): Promise<ZoneInfo | undefined> {
    const table = await this.#current();
    const zone = table.zones.get(zoneId);
    if (zone !== undefined || table.failures.length === 0) return zone;
    throw new Error(`zone id ${zoneId} is in no region that answered; ${table.failures.join('; ')}`);
  }

  async #current(): Promise<ZoneTable> {
    const now = this.#now();
    if (this.#table !== undefined && this.#table.expires > now) return this.#table;
    if (this.#failure !== undefined && this.#failure.until > now) throw this.#failure.error;
    this.#reading ??= this.#read().finally(() => (this.#reading = undefined));
    return this.#reading;
  }

  async #read(): Promise<ZoneTable> {
    let regions: string[];
    try {
      regions = await this.source.regions();
    } catch (error) {
      const failed = new Error(`DescribeRegions failed: ${reason(error)}`, { cause: error });
      this.#failure = { error: failed, until: this.#now() + this.timing.retryAfterMs };
      throw failed;
    }
    const zones = new Map<string, ZoneInfo>();
    const failures: string[] = [];
    const pending = [...regions];
    const worker = async () => {
      for (let region = pending.shift(); region !== undefined; region = pending.shift()) {
        try {
          for (const { zoneId, zone } of await this.source.zones(region)) zones.set(zoneId, { zone, region });
        } catch (error) {
          failures.push(`DescribeZones in ${region} failed: ${reason(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_REGIONS, regions.length) }, worker));
    const lifetime = failures.length === 0 ? this.timing.ttlMs : this.timing.retryAfterMs;
    this.#table = { zones, failures, expires: this.#now() + lifetime };
    this.#failure = undefined;
    return this.#table;
  }
}
