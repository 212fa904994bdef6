import type { CloudPlugin } from '../contract/plugin.js';
import { tencentCloud } from './tencent-cloud.js';
import { type TencentSettings, tencentSettings } from './tencent-settings.js';

// CVM RebootInstances: 10 requests a second and at most 100 InstanceIds per call, InvalidParameterValue.LimitExceeded
// beyond (https://www.tencentcloud.com/document/product/213/33243). StopInstances and StartInstances document no
// other figure, so they get the same.
const CVM_RATE = { perSecond: 10, burst: 10 };

export const tencentPlugin: CloudPlugin<'tencent', TencentSettings> = {
  definition: tencentCloud,
  settings: tencentSettings,
  async createProvider({ endpoint, metadataDisabled }, { timeoutMs, maxAttempts }, observer) {
    const { TencentProvider } = await import('./tencent-provider.js');
    return new TencentProvider({
      timeoutMs,
      maxAttempts,
      observer,
      metadataDisabled,
      ...(endpoint !== undefined && { endpoint }),
    });
  },
  limits: {
    rates: { RebootInstances: CVM_RATE, StopInstances: CVM_RATE, StartInstances: CVM_RATE },
    rebootBatch: 100,
  },
};
