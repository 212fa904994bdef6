import { randomUUID } from 'node:crypto';
import { CloudError, type CloudErrorKind, type CloudOutcome } from '../contract/error.js';
import { THROTTLED_RETRY_AFTER_SECONDS } from '../contract/call.js';
import {
  type CloudCallOptions,
  type CloudProvider,
  type CloudTarget,
  type InstanceDescription,
  type InstancePowerState,
  type PowerResult,
  REBOOT_MODES,
  type RebootMode,
  type RebootOptions,
  type RebootResult,
  type StartOptions,
  type StopOptions,
} from '../contract/provider.js';

export type SimulatedState = 'RUNNING' | 'REBOOTING' | 'STOPPING' | 'STOPPED' | 'STARTING';

export interface SimulatedInstance {
  instanceId: string;
  region: string;
  zone?: string;
  state: SimulatedState;
  rebootCount: number;
  lastMode?: RebootMode;
  lastRequestId?: string;
}

export type SimulatedAction = 'reboot' | 'stop' | 'start' | 'describe';

/** A failure the next matching calls get instead of their answer. */
export interface SimulatedFailure {
  kind: CloudErrorKind;
  /** Only this action fails (a dry run counts as its action); default every action. */
  action?: SimulatedAction;
  /** Only calls for this instance fail; default every instance. */
  instanceId?: string;
  /** How many calls fail (default 1; Infinity for all). */
  times?: number;
  message?: string;
  /** Whether the failure may come after the instance acted (default: as CloudError has it for the kind). */
  outcome?: CloudOutcome;
}

export interface SimulatedProviderOptions {
  /** How long an instance stays REBOOTING, STOPPING or STARTING (default 5 s). */
  rebootMs?: number;
  now?: () => number;
}

const POWER_STATES: Readonly<Record<SimulatedState, InstancePowerState>> = {
  RUNNING: 'running',
  REBOOTING: 'rebooting',
  STOPPING: 'stopping',
  STOPPED: 'stopped',
  STARTING: 'starting',
};

type Mutation = Exclude<SimulatedAction, 'describe'>;

interface Transition {
  verb: string;
  /** The state the action needs, the one it shows while under way, the one it ends in. */
  from: SimulatedState;
  via: SimulatedState;
  to: SimulatedState;
}

const TRANSITIONS: Readonly<Record<Mutation, Transition>> = {
  reboot: { verb: 'rebooted', from: 'RUNNING', via: 'REBOOTING', to: 'RUNNING' },
  stop: { verb: 'stopped', from: 'RUNNING', via: 'STOPPING', to: 'STOPPED' },
  start: { verb: 'started', from: 'STOPPED', via: 'STARTING', to: 'RUNNING' },
};

const UNDER_WAY = new Set(Object.values(TRANSITIONS).map((t) => t.via));

interface Instance {
  instanceId: string;
  region: string;
  zone?: string;
  state: SimulatedState;
  /** While an action is under way: the state it ends in, and when. */
  settles?: { state: SimulatedState; at: number };
  rebootCount: number;
  lastMode?: RebootMode;
  lastRequestId?: string;
}

/**
 * An in-memory cloud for the sandbox and tests. Instances appear, RUNNING, the first time a call names them; a reboot
 * makes them REBOOTING for a while (a stop STOPPING, a start STARTING), settled when next looked at, so no timer
 * outlives a test.
 */
export class SimulatedProvider implements CloudProvider {
  readonly cloud = 'simulated' as const;
  readonly rebootModes = REBOOT_MODES;
  readonly #instances = new Map<string, Instance>();
  #failures: (SimulatedFailure & { remaining: number })[] = [];
  readonly #rebootMs: number;
  readonly #now: () => number;

  constructor(options: SimulatedProviderOptions = {}) {
    this.#rebootMs = options.rebootMs ?? 5000;
    this.#now = options.now ?? Date.now;
  }

  async reboot(target: CloudTarget, { mode, dryRun, signal }: RebootOptions): Promise<RebootResult> {
    const { instance, result } = this.#act('reboot', target, dryRun, signal);
    if (!dryRun) {
      Object.assign(instance, {
        rebootCount: instance.rebootCount + 1,
        lastMode: mode,
        lastRequestId: result.requestId,
      });
    }
    return { ...result, mode };
  }

  async stop(target: CloudTarget, { dryRun, signal }: StopOptions): Promise<PowerResult> {
    return this.#act('stop', target, dryRun, signal).result;
  }

  async start(target: CloudTarget, { dryRun, signal }: StartOptions): Promise<PowerResult> {
    return this.#act('start', target, dryRun, signal).result;
  }

  async describe(target: CloudTarget, options: CloudCallOptions = {}): Promise<InstanceDescription> {
    const instance = this.#begin('describe', target, options.signal);
    return {
      instanceId: instance.instanceId,
      state: POWER_STATES[instance.state],
      cloudState: instance.state,
      requestId: `sim-${randomUUID()}`,
    };
  }

  /** Makes the next matching calls fail with a CloudError of the given kind. */
  injectFailure(failure: SimulatedFailure): void {
    const times = failure.times ?? 1;
    if (!(times > 0)) throw new RangeError(`times must be positive, got ${times}`);
    this.#failures.push({ ...failure, remaining: times });
  }

  clearFailures(): void {
    this.#failures = [];
  }

  /** Puts an instance, created if need be, straight into a state. */
  setState(target: Pick<CloudTarget, 'instanceId' | 'region' | 'zone'>, state: SimulatedState): void {
    Object.assign(this.#instance(target), { state, settles: undefined });
  }

  /** A copy of the instance as it is now. */
  instance(instanceId: string): SimulatedInstance | undefined {
    const instance = this.#instances.get(instanceId);
    if (instance === undefined) return undefined;
    this.#settle(instance);
    const { instanceId: id, region, zone, state, rebootCount, lastMode, lastRequestId } = instance;
    return { instanceId: id, region, zone, state, rebootCount, lastMode, lastRequestId };
  }

  /** One action, or its dry run: refused unless the instance is in the state it needs. */
  #act(
    action: Mutation,
    target: CloudTarget,
    dryRun: boolean,
    signal: AbortSignal | undefined,
  ): { instance: Instance; result: PowerResult } {
    const instance = this.#begin(action, target, signal);
    const requestId = `sim-${randomUUID()}`;
    const { verb, from, via, to } = TRANSITIONS[action];
    if (instance.state !== from) {
      throw new CloudError({
        kind: UNDER_WAY.has(instance.state) ? 'OperationInProgress' : 'InvalidState',
        cloud: 'simulated',
        requestId,
        message: `simulated instance ${target.instanceId} cannot be ${verb}: it is ${instance.state}`,
      });
    }
    if (dryRun) {
      const checks = [
        { name: 'InstanceState', detail: `simulated instance ${target.instanceId} is ${from}` },
      ];
      return { instance, result: { requestId, dryRunReport: { checks } } };
    }
    Object.assign(instance, { state: via, settles: { state: to, at: this.#now() + this.#rebootMs } });
    return { instance, result: { requestId } };
  }

  #begin(action: SimulatedAction, target: CloudTarget, signal: AbortSignal | undefined): Instance {
    if (signal?.aborted) {
      throw new CloudError({
        kind: 'Timeout',
        cloud: 'simulated',
        outcome: 'not-acted',
        message: `simulated ${action} of ${target.instanceId} was cancelled by its caller`,
      });
    }
    const failure = this.#takeFailure(action, target.instanceId);
    if (failure !== undefined) {
      throw new CloudError({
        kind: failure.kind,
        cloud: 'simulated',
        outcome: failure.outcome,
        code: `Simulated${failure.kind}`,
        requestId: `sim-${randomUUID()}`,
        message: failure.message ?? `simulated ${failure.kind} failure of ${action} for ${target.instanceId}`,
        ...(failure.kind === 'Throttled' && { retryAfterSeconds: THROTTLED_RETRY_AFTER_SECONDS }),
      });
    }
    return this.#instance(target);
  }

  #takeFailure(action: SimulatedAction, instanceId: string): SimulatedFailure | undefined {
    const failure = this.#failures.find(
      (f) => (f.action ?? action) === action && (f.instanceId ?? instanceId) === instanceId,
    );
    if (failure === undefined) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) this.#failures = this.#failures.filter((f) => f !== failure);
    return failure;
  }

  #instance(target: Pick<CloudTarget, 'instanceId' | 'region' | 'zone'>): Instance {
    let instance = this.#instances.get(target.instanceId);
    if (instance === undefined) {
      instance = {
        instanceId: target.instanceId,
        region: target.region,
        ...(target.zone !== undefined && { zone: target.zone }),
        state: 'RUNNING',
        rebootCount: 0,
      };
      this.#instances.set(target.instanceId, instance);
    }
    this.#settle(instance);
    return instance;
  }

  #settle(instance: Instance): void {
    if (instance.settles !== undefined && instance.settles.at <= this.#now()) {
      instance.state = instance.settles.state;
      instance.settles = undefined;
    }
  }
}
