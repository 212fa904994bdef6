import { type DynamicModule, Module } from '@nestjs/common';
import { CLOUD_CALL_OBSERVER } from './contract/call.js';
import { CLOUD_PROVIDERS } from './contract/provider.js';
import { CloudRegistry, createCloudProviders } from './registry/cloud-registry.js';
import { CLOUD_OPTIONS, type CloudOptions, cloudOptionsFromEnv } from './registry/options.js';

/**
 * The cloud providers the configuration enables (registry/options.ts and each cloud's settings), as the
 * CLOUD_PROVIDERS list and through CloudRegistry. Global, so any module can inject them once the root module imports CloudModule.forRoot(). A global
 * CLOUD_CALL_OBSERVER, when one is provided (the metrics module), is told of every cloud API call.
 */
@Module({})
export class CloudModule {
  /** With `options` omitted, they are read from the environment when the module is instantiated. */
  static forRoot(options?: CloudOptions): DynamicModule {
    return {
      module: CloudModule,
      global: true,
      providers: [
        { provide: CLOUD_OPTIONS, useFactory: () => options ?? cloudOptionsFromEnv(process.env) },
        {
          provide: CLOUD_PROVIDERS,
          inject: [CLOUD_OPTIONS, { token: CLOUD_CALL_OBSERVER, optional: true }],
          useFactory: createCloudProviders,
        },
        CloudRegistry,
      ],
      exports: [CLOUD_OPTIONS, CLOUD_PROVIDERS, CloudRegistry],
    };
  }
}
