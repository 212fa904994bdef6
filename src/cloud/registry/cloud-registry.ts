import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { LocationLookups } from '../contract/definition.js';
import { CloudError } from '../contract/error.js';
import { CLOUD_OPTIONS, type CloudOptions } from './options.js';
import { CLOUD_PROVIDERS, type CloudProvider, locationLookups } from '../contract/provider.js';
import { CLOUD_NAMES, type CloudName, cloudNamed } from './clouds.js';
import { pacedProvider } from '../pacing/paced-provider.js';

/**
 * The enabled cloud providers by cloud name, each behind pacing (pacing/paced-provider.ts): every caller's
 * mutating calls share the cloud's rate limits, and reboots that arrive together share one call.
 */
@Injectable()
export class CloudRegistry implements OnModuleInit, OnApplicationShutdown {
  readonly #providers: ReadonlyMap<CloudName, CloudProvider>;
  readonly #logger = new Logger(CloudRegistry.name);

  constructor(
    @Inject(CLOUD_PROVIDERS) providers: CloudProvider[],
    @Inject(CLOUD_OPTIONS) private readonly options: CloudOptions,
  ) {
    const { timeoutMs, batchWindowMs } = options;
    this.#providers = new Map(
      providers.map((provider) => [provider.cloud, pacedProvider(provider, { timeoutMs, batchWindowMs })]),
    );
  }

  /** The provider for `cloud`; a CloudError (Unsupported) saying how to enable it when it is not enabled. */
  get(cloud: CloudName): CloudProvider {
    const provider = this.#providers.get(cloud);
    if (provider !== undefined) return provider;
    const { reason, howToEnable } = this.options[cloud];
    throw new CloudError({
      kind: 'Unsupported',
      cloud,
      message:
        `cloud ${cloud} (${cloudNamed(cloud).displayName}) is not enabled on this server (${reason}): ` +
        `to restart its nodes, ${howToEnable}`,
    });
  }

  find(cloud: CloudName): CloudProvider | undefined {
    return this.#providers.get(cloud);
  }

  get enabledClouds(): CloudName[] {
    return CLOUD_NAMES.filter((cloud) => this.#providers.has(cloud));
  }

  /** The cloud API lookups region resolution may use for `cloud` (none when it is not enabled). */
  lookups(cloud: CloudName): LocationLookups {
    return locationLookups(this.#providers.get(cloud));
  }

  onModuleInit(): void {
    for (const cloud of CLOUD_NAMES) {
      const { enabled, reason } = this.options[cloud];
      this.#logger.log(`cloud ${cloud}: ${enabled ? 'enabled' : 'disabled'} (${reason})`);
    }
  }

  onApplicationShutdown(): void {
    for (const provider of this.#providers.values()) provider.close?.();
  }
}
