import type { CloudPlugin } from '../contract/plugin.js';
import { simulatedCloud } from './simulated-cloud.js';
import { type SimulatedSettings, simulatedSettings } from './simulated-settings.js';

// An in-memory cloud for the sandbox and tests, and the smallest complete cloud: no limits, so its calls are
// neither paced nor batched.
export const simulatedPlugin: CloudPlugin<'simulated', SimulatedSettings> = {
  definition: simulatedCloud,
  settings: simulatedSettings,
  async createProvider({ rebootMs }) {
    const { SimulatedProvider } = await import('./simulated-provider.js');
    return new SimulatedProvider({ rebootMs });
  },
};
