import type { CloudCallObserver } from './contract/call.js';
import type { CloudOptions } from './registry/options.js';
import type { CloudProvider } from './contract/provider.js';
import { CLOUD_NAMES, type CloudName } from './registry/clouds.js';

/**
 * How each cloud's provider is made from the options; a new cloud adds its line. Each is imported only when its
 * cloud is enabled: a cloud SDK is thousands of modules and tens of MiB a server without that cloud never needs.
 */
const PROVIDER_FACTORIES: Readonly<
  Record<CloudName, (options: CloudOptions, observer?: CloudCallObserver) => Promise<CloudProvider>>
> = {
  aws: async ({ timeoutMs, maxAttempts, aws }, observer) => {
    const { AwsProvider } = await import('./aws/aws-provider.js');
    return new AwsProvider({
      timeoutMs,
      maxAttempts,
      observer,
      ...(aws.endpoint !== undefined && { endpoint: aws.endpoint }),
    });
  },
  tencent: async ({ timeoutMs, maxAttempts, tencent }, observer) => {
    const { TencentProvider } = await import('./tencent/tencent-provider.js');
    return new TencentProvider({
      timeoutMs,
      maxAttempts,
      observer,
      metadataDisabled: tencent.metadataDisabled,
      ...(tencent.endpoint !== undefined && { endpoint: tencent.endpoint }),
    });
  },
  simulated: async ({ simulated }) => {
    const { SimulatedProvider } = await import('./simulated/simulated-provider.js');
    return new SimulatedProvider({ rebootMs: simulated.rebootMs });
  },
};

/** A provider for each cloud the options enable; `observer` is told of their API calls. */
export function createCloudProviders(
  options: CloudOptions,
  observer?: CloudCallObserver,
): Promise<CloudProvider[]> {
  return Promise.all(
    CLOUD_NAMES.filter((cloud) => options[cloud].enabled).map((cloud) =>
      PROVIDER_FACTORIES[cloud](options, observer),
    ),
  );
}
