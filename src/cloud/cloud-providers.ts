import { AwsProvider } from './aws/aws-provider.js';
import type { CloudCallObserver } from './cloud-call.js';
import type { CloudOptions } from './cloud-options.js';
import type { CloudProvider } from './cloud-provider.js';
import { CLOUD_NAMES, type CloudName } from './clouds.js';
import { SimulatedProvider } from './simulated/simulated-provider.js';
import { TencentProvider } from './tencent/tencent-provider.js';

/** How each cloud's provider is made from the options; a new cloud adds its line. */
const PROVIDER_FACTORIES: Readonly<
  Record<CloudName, (options: CloudOptions, observer?: CloudCallObserver) => CloudProvider>
> = {
  aws: ({ timeoutMs, maxAttempts, aws }, observer) =>
    new AwsProvider({
      timeoutMs,
      maxAttempts,
      observer,
      ...(aws.endpoint !== undefined && { endpoint: aws.endpoint }),
    }),
  tencent: ({ timeoutMs, maxAttempts, tencent }, observer) =>
    new TencentProvider({
      timeoutMs,
      maxAttempts,
      observer,
      metadataDisabled: tencent.metadataDisabled,
      ...(tencent.endpoint !== undefined && { endpoint: tencent.endpoint }),
    }),
  simulated: ({ simulated }) => new SimulatedProvider({ rebootMs: simulated.rebootMs }),
};

/** A provider for each cloud the options enable; `observer` is told of their API calls. */
export function createCloudProviders(options: CloudOptions, observer?: CloudCallObserver): CloudProvider[] {
  return CLOUD_NAMES.filter((cloud) => options[cloud].enabled).map((cloud) =>
    PROVIDER_FACTORIES[cloud](options, observer),
  );
}
