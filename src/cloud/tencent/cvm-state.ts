import type { InstancePowerState } from '../contract/provider.js';

// CVM InstanceState (Instance.InstanceState in TencentCloud/tencentcloud-sdk-nodejs
// src/services/cvm/v20170312/cvm_models.ts). SHUTDOWN is stopped and awaiting release; the rescue and live-migration
// states are "other", as are states a newer API may add.
const CVM_STATES: Readonly<Record<string, InstancePowerState>> = {
  PENDING: 'pending',
  RUNNING: 'running',
  STOPPED: 'stopped',
  SHUTDOWN: 'stopped',
  STARTING: 'starting',
  STOPPING: 'stopping',
  REBOOTING: 'rebooting',
};

export function cvmPowerState(name: string | undefined): InstancePowerState {
  return name !== undefined && Object.hasOwn(CVM_STATES, name) ? CVM_STATES[name]! : 'other';
}
