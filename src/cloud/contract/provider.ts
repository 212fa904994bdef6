import type { LocationLookups, ZoneInfo } from './definition.js';
import type { ResolvedCloudIdentity } from './identity.js';

/**
 * Soft asks the guest OS to reboot (or shut down); Hard power-cycles (or powers off); SoftFirst is soft with a fallback
 * to hard when the OS does not comply (Tencent StopType SOFT_FIRST; EC2 RebootInstances always behaves so,
 * hard-rebooting after a few minutes; EC2 StopInstances with Force). Stops take the same modes.
 */
export type RebootMode = 'Soft' | 'Hard' | 'SoftFirst';

export const REBOOT_MODES: readonly RebootMode[] = ['Soft', 'Hard', 'SoftFirst'];

/**
 * The mode to use when the caller names none, on every cloud: graceful first, yet sure to reboot a VM whose OS hangs
 * (Tencent StopType SOFT_FIRST; what EC2 RebootInstances always does).
 */
export const DEFAULT_REBOOT_MODE: RebootMode = 'SoftFirst';

/** The VM to act on, with the node it backs (for messages and logs). */
export interface CloudTarget extends ResolvedCloudIdentity {
  nodeName: string;
}

export interface CloudCallOptions {
  signal?: AbortSignal;
}

export interface RebootOptions extends CloudCallOptions {
  mode: RebootMode;
  /** Check everything the cloud allows checking without rebooting, and report instead of acting. */
  dryRun: boolean;
  /**
   * Called once, when the reboot's turn has come (pacing/), just before the cloud is asked; if it throws, the cloud
   * is not asked and the reboot fails with its error. A restart claims its reboot here, so that a cancel while it
   * waits for its turn wins. The paced provider calls it; a cloud's own provider ignores it.
   */
  beforeSending?: () => Promise<void>;
}

/** A reboot of several instances of one region in one call; there is no dry run of it. */
export interface RebootManyOptions extends CloudCallOptions {
  mode: RebootMode;
}

export interface DryRunCheck {
  /** e.g. "Authorization" for an EC2 DryRun=true call, "InstanceState" for a describe. */
  name: string;
  detail: string;
}

/** What a dry run verified. A check that fails is thrown as a CloudError, as the real call would fail. */
export interface DryRunReport {
  checks: DryRunCheck[];
}

export interface RebootResult {
  /** The cloud's request id; absent when nothing was sent (a dry run that only read state may still have one). */
  requestId?: string;
  /** The mode as applied, which can differ from the one asked (an EC2 reboot is always SoftFirst). */
  mode: RebootMode;
  dryRunReport?: DryRunReport;
}

export type InstancePowerState =
  'pending' | 'running' | 'rebooting' | 'stopping' | 'stopped' | 'starting' | 'terminated' | 'other';

export interface StopOptions extends CloudCallOptions {
  mode: RebootMode;
  /** Check what the cloud allows checking without stopping, and report instead of acting. */
  dryRun: boolean;
}

export interface StartOptions extends CloudCallOptions {
  dryRun: boolean;
}

export interface PowerResult {
  /** The cloud's request id; absent when nothing was sent. */
  requestId?: string;
  dryRunReport?: DryRunReport;
}

export interface InstanceDescription {
  instanceId: string;
  state: InstancePowerState;
  /** The cloud's own state name, e.g. EC2 "running", CVM "REBOOTING". */
  cloudState: string;
  requestId?: string;
}

/**
 * One cloud's VM actions. Providers throw CloudError for every failure. Actions beyond reboot (describe, stop, start)
 * are optional methods, present only where the provider implements them. Reboot, stop and start change the instance:
 * a failure that leaves their outcome unknown (a timeout, a 5xx) is never repeated.
 */
export interface CloudProvider {
  /** The cloud's name (CloudDefinition.name). */
  readonly cloud: string;
  /** Modes reboot() accepts; the restart service rejects the others before calling. */
  readonly rebootModes: readonly RebootMode[];
  reboot(target: CloudTarget, options: RebootOptions): Promise<RebootResult>;
  /**
   * Reboots every target (one region, as many as the cloud takes in one call) with one request, which the cloud
   * accepts or refuses as a whole. Only on clouds whose reboot call takes many instances; the registry's
   * coalescer (pacing/) sends the reboots that arrive together through it.
   */
  rebootMany?(targets: readonly CloudTarget[], options: RebootManyOptions): Promise<RebootResult>;
  describe?(target: CloudTarget, options?: CloudCallOptions): Promise<InstanceDescription>;
  /** Stops (powers off) a running instance, keeping its disks. */
  stop?(target: CloudTarget, options: StopOptions): Promise<PowerResult>;
  /** Starts a stopped instance. */
  start?(target: CloudTarget, options: StartOptions): Promise<PowerResult>;
  /** Zone id → zone and region, cached by the provider (Tencent DescribeZones). */
  lookupZone?(zoneId: string): Promise<ZoneInfo | undefined>;
  /** Releases connections and timers; called once at shutdown. */
  close?(): void;
}

/** The targets of one batched call as one target, for its messages: "i-a, i-b" on nodes "n1, n2". */
export function batchTarget(targets: readonly CloudTarget[]): CloudTarget {
  const first = targets[0];
  if (first === undefined) throw new Error('a batch needs at least one target');
  const list = (pick: (target: CloudTarget) => string) => targets.map(pick).join(', ');
  return { ...first, instanceId: list((t) => t.instanceId), nodeName: list((t) => t.nodeName) };
}

/** DI token for the list of installed providers (CloudProvider[]), for NestJS @Inject(CLOUD_PROVIDERS). */
export const CLOUD_PROVIDERS = Symbol('CLOUD_PROVIDERS');

/** The lookups a provider offers to resolveCloudLocation. */
export function locationLookups(provider: CloudProvider | undefined): LocationLookups {
  const lookupZone = provider?.lookupZone;
  return lookupZone === undefined ? {} : { zoneById: (zoneId) => lookupZone.call(provider, zoneId) };
}
