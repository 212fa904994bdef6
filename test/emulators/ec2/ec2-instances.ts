import type { InstanceStore } from '../common/instance-store.js';
import { TimedState } from '../common/timed-state.js';
import { Ec2Error, ec2Errors } from './ec2-errors.js';

/** EC2 has no "rebooting" state: a reboot leaves the instance running. */
export type Ec2StateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export const EC2_STATE_CODES: Readonly<Record<Ec2StateName, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface Ec2InstanceSeed {
  instanceId: string;
  region: string;
  /** Default: the region followed by "a". */
  availabilityZone?: string;
  /** Default: running. */
  state?: Ec2StateName;
  instanceType?: string;
  privateIpAddress?: string;
  privateDnsName?: string;
  tags?: Record<string, string>;
}

export interface Ec2InstanceSnapshot {
  instanceId: string;
  region: string;
  availabilityZone: string;
  state: Ec2StateName;
  stateCode: number;
  instanceType: string;
  privateIpAddress: string;
  privateDnsName: string;
  tags: Record<string, string>;
  launchTime: Date;
  rebootCount: number;
  lastRebootAt?: Date;
}

export type Ec2Operation = 'reboot' | 'stop' | 'start';

interface OperationRules {
  /** States the operation is accepted in; others get IncorrectInstanceState. */
  accepts: readonly Ec2StateName[];
  verb: string;
  /** The transition it starts; from any other accepted state it is a no-op that still succeeds. */
  transition?: { from: Ec2StateName; via: Ec2StateName; to: Ec2StateName };
}

const OPERATIONS: Record<Ec2Operation, OperationRules> = {
  // Reboots are queued for pending and running instances and silently ignored for terminated ones.
  reboot: { accepts: ['pending', 'running', 'terminated'], verb: 'rebooted' },
  stop: {
    accepts: ['running', 'stopping', 'stopped'],
    verb: 'stopped',
    transition: { from: 'running', via: 'stopping', to: 'stopped' },
  },
  start: {
    accepts: ['stopped', 'pending', 'running'],
    verb: 'started',
    transition: { from: 'stopped', via: 'pending', to: 'running' },
  },
};

export interface StateChange {
  instanceId: string;
  previous: Ec2StateName;
  current: Ec2StateName;
}

export class Ec2Instance {
  readonly instanceId: string;
  readonly region: string;
  readonly availabilityZone: string;
  readonly instanceType: string;
  readonly privateIpAddress: string;
  readonly privateDnsName: string;
  readonly tags: Record<string, string>;
  readonly launchTime = new Date();
  readonly state: TimedState<Ec2StateName>;
  rebootCount = 0;
  lastRebootAt?: Date;

  constructor(
    seed: Ec2InstanceSeed,
    ordinal: number,
    private readonly transitionMs: number,
  ) {
    this.instanceId = seed.instanceId;
    this.region = seed.region;
    this.availabilityZone = seed.availabilityZone ?? `${seed.region}a`;
    this.instanceType = seed.instanceType ?? 't3.medium';
    this.privateIpAddress = seed.privateIpAddress ?? `10.0.${(ordinal >> 8) & 255}.${(ordinal & 255) + 1}`;
    const dnsSuffix = seed.region === 'us-east-1' ? 'ec2.internal' : `${seed.region}.compute.internal`;
    this.privateDnsName =
      seed.privateDnsName ?? `ip-${this.privateIpAddress.replaceAll('.', '-')}.${dnsSuffix}`;
    this.tags = { ...seed.tags };
    this.state = new TimedState(seed.state ?? 'running');
  }

  /** Why EC2 would refuse this operation on this instance now, if it would. */
  refusal(operation: Ec2Operation): Ec2Error | undefined {
    const state = this.state.value;
    if (operation === 'stop' && state === 'pending') return ec2Errors.neverRunning(this.instanceId);
    const { accepts, verb } = OPERATIONS[operation];
    return accepts.includes(state) ? undefined : ec2Errors.incorrectState(this.instanceId, verb);
  }

  apply(operation: Ec2Operation): StateChange {
    const previous = this.state.value;
    if (operation === 'reboot' && previous !== 'terminated') {
      this.rebootCount += 1;
      this.lastRebootAt = new Date();
    }
    const transition = OPERATIONS[operation].transition;
    if (transition?.from !== previous) return { instanceId: this.instanceId, previous, current: previous };
    this.state.begin(transition.via, transition.to, this.transitionMs);
    return { instanceId: this.instanceId, previous, current: transition.via };
  }

  snapshot(): Ec2InstanceSnapshot {
    const state = this.state.value;
    return {
      instanceId: this.instanceId,
      region: this.region,
      availabilityZone: this.availabilityZone,
      state,
      stateCode: EC2_STATE_CODES[state],
      instanceType: this.instanceType,
      privateIpAddress: this.privateIpAddress,
      privateDnsName: this.privateDnsName,
      tags: { ...this.tags },
      launchTime: this.launchTime,
      rebootCount: this.rebootCount,
      ...(this.lastRebootAt && { lastRebootAt: this.lastRebootAt }),
    };
  }
}

export type Ec2InstanceStore = InstanceStore<Ec2InstanceSeed, Ec2Instance>;
