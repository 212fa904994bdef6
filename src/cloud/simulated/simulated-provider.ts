import { randomUUID } from 'node:crypto';
import { CloudError, type CloudErrorKind } from '../cloud-error.js';
import { THROTTLED_RETRY_AFTER_SECONDS } from '../cloud-call.js';
import {
  type CloudCallOptions,
  type CloudProvider,
  type CloudTarget,
  type InstanceDescription,
  type InstancePowerState,
  REBOOT_MODES,
  type RebootMode,
  type RebootOptions,
  type RebootResult,
} from '../cloud-provider.js';

export type SimulatedState = 'RUNNING' | 'REBOOTING' | 'STOPPED';

export interface SimulatedInstance {
  instanceId: string;
  region: string;
  zone?: string;
  state: SimulatedState;
  rebootCount: number;
  lastMode?: RebootMode;
  lastRequestId?: string;
}

export type SimulatedAction = 'reboot' | 'describe';

/** A failure the next matching calls get instead of their answer. */
export interface SimulatedFailure {
  kind: CloudErrorKind;
  /** Only this action fails (a dry run is a reboot); default every action. */
  action?: SimulatedAction;
  /** Only calls for this instance fail; default every instance. */
  instanceId?: string;
  /** How many calls fail (default 1; Infinity for all). */
  times?: number;
  message?: string;
}

export interface SimulatedProviderOptions {
  /** How long an instance stays REBOOTING (default 5 s). */
  rebootMs?: number;
  now?: () => number;
}

const POWER_STATES: Readonly<Record<SimulatedState, InstancePowerState>> = {
  RUNNING: 'running',
  REBOOTING: 'rebooting',
  STOPPED: 'stopped',
};

interface Instance {
  instanceId: string;
  region: string;
  zone?: string;
  state: SimulatedState;
  /** While REBOOTING: when the instance is RUNNING again. */
  rebootEnds?: number;
  rebootCount: number;
  lastMode?: RebootMode;
  lastRequestId?: string;
}

/**
 * An in-memory cloud for the sandbox and tests. Instances appear, RUNNING, the first time a call names them; a reboot
 * makes them REBOOTING for a while, settled when next looked at, so no timer outlives a test.
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
    const instance = this.#begin('reboot', target, signal);
    const requestId = `sim-${randomUUID()}`;
    const refuse = (kind: CloudErrorKind, why: string) =>
      new CloudError({
        kind,
        cloud: 'simulated',
        requestId,
        message: `simulated instance ${target.instanceId} cannot be rebooted: it is ${why}`,
      });
    if (instance.state === 'REBOOTING') throw refuse('OperationInProgress', 'REBOOTING');
    if (instance.state !== 'RUNNING') throw refuse('InvalidState', instance.state);
    if (dryRun) {
      return {
        requestId,
        mode,
        dryRunReport: {
          checks: [{ name: 'InstanceState', detail: `simulated instance ${target.instanceId} is RUNNING` }],
        },
      };
    }
    Object.assign(instance, {
      state: 'REBOOTING',
      rebootEnds: this.#now() + this.#rebootMs,
      rebootCount: instance.rebootCount + 1,
      lastMode: mode,
      lastRequestId: requestId,
    });
    return { requestId, mode };
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
    Object.assign(this.#instance(target), { state, rebootEnds: undefined });
  }

  /** A copy of the instance as it is now. */
  instance(instanceId: string): SimulatedInstance | undefined {
    const instance = this.#instances.get(instanceId);
    if (instance === undefined) return undefined;
    this.#settle(instance);
    const { instanceId: id, region, zone, state, rebootCount, lastMode, lastRequestId } = instance;
    return { instanceId: id, region, zone, state, rebootCount, lastMode, lastRequestId };
  }

  #begin(action: SimulatedAction, target: CloudTarget, signal: AbortSignal | undefined): Instance {
    if (signal?.aborted) {
      throw new CloudError({
        kind: 'Timeout',
        cloud: 'simulated',
        message: `simulated ${action} of ${target.instanceId} was cancelled by its caller`,
      });
    }
    const failure = this.#takeFailure(action, target.instanceId);
    if (failure !== undefined) {
      throw new CloudError({
        kind: failure.kind,
        cloud: 'simulated',
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
    if (instance.rebootEnds !== undefined && instance.rebootEnds <= this.#now()) {
      instance.state = 'RUNNING';
      instance.rebootEnds = undefined;
    }
  }
}
