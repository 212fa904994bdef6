// The simulated cloud's settings, from environment variables (docs/configuration.md).
//
//   SIMULATED_CLOUD            "true" serves simulated:/// nodes from an in-memory cloud. For the sandbox and tests;
//                              never on unless set.
//   SIMULATED_REBOOT_DURATION  How long a simulated reboot lasts; Go duration (default 5s).
import type { CloudEnv, CloudSwitch } from '../contract/plugin.js';

export interface SimulatedSettings extends CloudSwitch {
  rebootMs: number;
}

export function simulatedSettings(env: CloudEnv): SimulatedSettings {
  const enabled = env.flag('SIMULATED_CLOUD') ?? false;
  return {
    enabled,
    reason: enabled ? 'SIMULATED_CLOUD=true' : 'SIMULATED_CLOUD is not true',
    howToEnable: 'set SIMULATED_CLOUD=true (sandbox and tests only)',
    rebootMs: env.duration('SIMULATED_REBOOT_DURATION', 5000),
  };
}
