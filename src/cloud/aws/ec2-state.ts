import type { InstancePowerState } from '../contract/provider.js';

// EC2 InstanceStateName. There is no rebooting state: an instance stays "running" through a reboot.
const EC2_STATES: Readonly<Record<string, InstancePowerState>> = {
  pending: 'pending',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  'shutting-down': 'other',
  terminated: 'terminated',
};

export function ec2PowerState(name: string | undefined): InstancePowerState {
  return name !== undefined && Object.hasOwn(EC2_STATES, name) ? EC2_STATES[name]! : 'other';
}
