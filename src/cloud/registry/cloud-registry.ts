import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { CloudCallObserver } from '../contract/call.js';
import type { LocationLookups } from '../contract/definition.js';
import { CloudError } from '../contract/error.js';
import type { CloudPlugin } from '../contract/plugin.js';
import { CLOUD_PROVIDERS, type CloudProvider, locationLookups } from '../contract/provider.js';
import { pacedProvider } from '../pacing/paced-provider.js';
import { CLOUD_NAMES, CLOUD_PLUGINS, type CloudName, cloudNamed, cloudPlugin } from './clouds.js';
import { CLOUD_OPTIONS, type CloudOptions, cloudSettings } from './options.js';

/** A provider for each cloud the options enable, each made by its plugin; `observer` is told of their API calls. */
export function createCloudProviders(
  options: CloudOptions,
  observer?: CloudCallObserver,
): Promise<CloudProvider[]> {
  const plugins: readonly CloudPlugin[] = CLOUD_PLUGINS;
  return Promise.all(
    plugins
      .map((plugin) => ({ plugin, settings: cloudSettings(options, plugin.definition.name) }))
      .filter(({ settings }) => settings.enabled)
      .map(({ plugin, settings }) => plugin.createProvider(settings, options, observer)),
  );
}

/**
 * The enabled cloud providers by cloud name, each behind pacing (pacing/paced-provider.ts): every caller's
 * mutating calls share the cloud's rate limits, and reboots that arrive together share one call.
 */
@Injectable()
export class CloudRegistry implements OnModuleInit, OnApplicationShutdown {
  readonly #providers: ReadonlyMap<string, CloudProvider>;
  readonly #logger = new Logger(CloudRegistry.name);

  constructor(
    @Inject(CLOUD_PROVIDERS) providers: CloudProvider[],
    @Inject(CLOUD_OPTIONS) private readonly options: CloudOptions,
  ) {
    const { timeoutMs, batchWindowMs } = options;
    this.#providers = new Map(
      providers.map((provider) => [
        provider.cloud,
        pacedProvider(provider, cloudPlugin(provider.cloud), { timeoutMs, batchWindowMs }),
      ]),
    );
  }

  /** The provider for `cloud`; a CloudError (Unsupported) saying how to enable it when it is not enabled. */
  get(cloud: string): CloudProvider {
    const provider = this.#providers.get(cloud);
    if (provider !== undefined) return provider;
    const { reason, howToEnable } = cloudSettings(this.options, cloud);
    throw new CloudError({
      kind: 'Unsupported',
      cloud,
      field: 'spec.providerID',
      message:
        `cloud ${cloud} (${cloudNamed(cloud).displayName}) is not enabled on this server (${reason}): ` +
        `to restart its nodes, ${howToEnable}`,
    });
  }

  find(cloud: string): CloudProvider | undefined {
    return this.#providers.get(cloud);
  }

  get enabledClouds(): CloudName[] {
    return CLOUD_NAMES.filter((cloud) => this.#providers.has(cloud));
  }

  /** The cloud API lookups region resolution may use for `cloud` (none when it is not enabled). */
  lookups(cloud: string): LocationLookups {
    return locationLookups(this.#providers.get(cloud));
  }

  onModuleInit(): void {
    for (const cloud of CLOUD_NAMES) {
      const { enabled, reason } = cloudSettings(this.options, cloud);
      this.#logger.log(`cloud ${cloud}: ${enabled ? 'enabled' : 'disabled'} (${reason})`);
    }
  }

  onApplicationShutdown(): void {
    for (const provider of this.#providers.values()) provider.close?.();
  }
}
