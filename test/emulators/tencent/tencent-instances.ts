import { randomUUID } from 'node:crypto';
import type { InstanceStore } from '../common/instance-store.js';
import { TimedState } from '../common/timed-state.js';

/** The CVM InstanceState values this emulator models. Unlike EC2, a reboot is visible as REBOOTING. */
export type CvmState =
  'PENDING' | 'RUNNING' | 'STOPPED' | 'STARTING' | 'STOPPING' | 'REBOOTING' | 'SHUTDOWN' | 'TERMINATING';

export type CvmOperation = 'RebootInstances' | 'StopInstances' | 'StartInstances';

export interface CvmInstanceSeed {
  /** ins- followed by 8 lower-case letters or digits. */
  instanceId: string;
  region: string;
  /** Zone name such as ap-guangzhou-3. */
  zone: string;
  /** Default: RUNNING. */
  state?: CvmState;
  instanceName?: string;
  instanceType?: string;
  privateIpAddress?: string;
  tags?: Record<string, string>;
}

export interface CvmInstanceSnapshot {
  instanceId: string;
  region: string;
  zone: string;
  state: CvmState;
  instanceName: string;
  instanceType: string;
  privateIpAddress: string;
  tags: Record<string, string>;
  createdTime: Date;
  uuid: string;
  latestOperation?: CvmOperation;
  /** OPERATING while the latest operation's transition runs, SUCCESS after. */
  latestOperationState?: 'OPERATING' | 'SUCCESS';
  latestOperationRequestId?: string;
  rebootCount: number;
  /** StopType of the latest reboot or stop (SOFT when the caller sent none). */
  lastStopType?: string;
  /** StoppedMode of the latest stop. */
  lastStoppedMode?: string;
}

/** Transition spec per operation: required state, transient state, final state. */
const OPERATIONS: Record<CvmOperation, { from: CvmState; via: CvmState; to: CvmState }> = {
  RebootInstances: { from: 'RUNNING', via: 'REBOOTING', to: 'RUNNING' },
  StopInstances: { from: 'RUNNING', via: 'STOPPING', to: 'STOPPED' },
  StartInstances: { from: 'STOPPED', via: 'STARTING', to: 'RUNNING' },
};

export interface Durations {
  rebootMs: number;
  transitionMs: number;
}

export class CvmInstance {
  readonly state: TimedState<CvmState>;
  readonly createdTime = new Date();
  readonly uuid = randomUUID();
  readonly privateIpAddress: string;
  rebootCount = 0;
  latestOperation?: CvmOperation;
  latestOperationRequestId?: string;
  lastStopType?: string;
  lastStoppedMode?: string;

  constructor(
    readonly seed: CvmInstanceSeed,
    ordinal: number,
    private readonly durations: Durations,
  ) {
    this.state = new TimedState(seed.state ?? 'RUNNING');
    this.privateIpAddress = seed.privateIpAddress ?? `172.16.${(ordinal >> 8) & 255}.${(ordinal & 255) + 2}`;
  }

  get instanceId(): string {
    return this.seed.instanceId;
  }

  get region(): string {
    return this.seed.region;
  }

  /** The state an operation requires, or undefined when the instance is in it. */
  refusedState(operation: CvmOperation): CvmState | undefined {
    const state = this.state.value;
    return state === OPERATIONS[operation].from ? undefined : state;
  }

  apply(
    operation: CvmOperation,
    requestId: string,
    stopOptions: { stopType?: string; stoppedMode?: string } = {},
  ): void {
    const { via, to } = OPERATIONS[operation];
    this.state.begin(
      via,
      to,
      operation === 'RebootInstances' ? this.durations.rebootMs : this.durations.transitionMs,
    );
    this.latestOperation = operation;
    this.latestOperationRequestId = requestId;
    if (operation === 'RebootInstances') this.rebootCount += 1;
    if (stopOptions.stopType !== undefined) this.lastStopType = stopOptions.stopType;
    if (stopOptions.stoppedMode !== undefined) this.lastStoppedMode = stopOptions.stoppedMode;
  }

  snapshot(): CvmInstanceSnapshot {
    return {
      instanceId: this.instanceId,
      region: this.region,
      zone: this.seed.zone,
      state: this.state.value,
      instanceName: this.seed.instanceName ?? this.instanceId,
      instanceType: this.seed.instanceType ?? 'S5.MEDIUM4',
      privateIpAddress: this.privateIpAddress,
      tags: { ...this.seed.tags },
      createdTime: this.createdTime,
      uuid: this.uuid,
      ...(this.latestOperation && {
        latestOperation: this.latestOperation,
        latestOperationState: this.state.transitioning ? 'OPERATING' : 'SUCCESS',
        latestOperationRequestId: this.latestOperationRequestId,
      }),
      rebootCount: this.rebootCount,
      ...(this.lastStopType !== undefined && { lastStopType: this.lastStopType }),
      ...(this.lastStoppedMode !== undefined && { lastStoppedMode: this.lastStoppedMode }),
    };
  }
}

export type CvmInstanceStore = InstanceStore<CvmInstanceSeed, CvmInstance>;
