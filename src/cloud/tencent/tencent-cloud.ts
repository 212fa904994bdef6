import type { CloudDefinition } from '../contract/definition.js';
import { parseTencentProviderID } from './tencent-provider-id.js';
import { resolveTencentRegion } from './tencent-region.js';

export const tencentCloud: CloudDefinition<'tencent'> = {
  name: 'tencent',
  displayName: 'Tencent Cloud CVM',
  schemes: ['qcloud', 'tencentcloud'],
  parseProviderID: parseTencentProviderID,
  resolveRegion: resolveTencentRegion,
};
