// The provider every caller gets from the CloudRegistry: the cloud's own, with its mutating calls kept to the cloud's
// rate limits and its reboots batched per region and mode. Reads and dry runs go straight through.
import type { MutatingAction, RateLimits } from '../contract/limits.js';
import type { CloudPlugin } from '../contract/plugin.js';
import type { CloudProvider, CloudTarget, RebootResult } from '../contract/provider.js';
import { budgetFrom, CallPacer } from './call-pacer.js';
import { type BatchRebooter, RebootCoalescer } from './reboot-coalescer.js';

export interface PacingOptions {
  /** A call's time budget (CLOUD_TIMEOUT); waiting for its turn counts against it. */
  timeoutMs: number;
  /** How long a reboot waits for others to share its call (CLOUD_BATCH_WINDOW); 0 sends each alone. */
  batchWindowMs: number;
  /** Replaces the cloud's documented rates (tests). */
  rates?: RateLimits;
}

function canBatch(provider: CloudProvider): provider is BatchRebooter {
  return provider.rebootMany !== undefined;
}

/** What pacing needs of the provider's cloud: its display name for messages, and its limits. */
export type PacedCloud = Pick<CloudPlugin, 'definition' | 'limits'>;

export function pacedProvider(
  provider: CloudProvider,
  { definition: { displayName }, limits }: PacedCloud,
  options: PacingOptions,
): CloudProvider {
  const pacer = new CallPacer(options.rates ?? limits?.rates ?? {});
  const coalescer =
    canBatch(provider) && limits !== undefined && options.batchWindowMs > 0
      ? new RebootCoalescer(provider, pacer, {
          windowMs: options.batchWindowMs,
          maxBatch: limits.rebootBatch,
          displayName,
        })
      : undefined;

  /** A mutating action: its dry run goes straight through, the action itself once its turn has come. */
  const paced =
    <O extends { dryRun: boolean; signal?: AbortSignal; beforeSending?: () => Promise<void> }, R>(
      action: MutatingAction,
      act: (target: CloudTarget, options: O) => Promise<R>,
    ) =>
    (target: CloudTarget, actOptions: O): Promise<R> => {
      if (actOptions.dryRun) return act.call(provider, target, actOptions);
      const { region, instanceId } = target;
      const call = { cloud: provider.cloud, displayName, action, region, instanceId };
      return pacer.run(
        { ...call, mutating: true, attempts: 1 },
        budgetFrom(options.timeoutMs),
        async (signal) => {
          await actOptions.beforeSending?.();
          return act.call(provider, target, { ...actOptions, signal });
        },
        actOptions.signal,
      );
    };
  const reboot = paced('RebootInstances', provider.reboot);
  const { stop, start, describe, lookupZone } = provider;
  return {
    cloud: provider.cloud,
    rebootModes: provider.rebootModes,
    reboot(target, rebootOptions): Promise<RebootResult> {
      const { mode, dryRun, signal } = rebootOptions;
      // A caller that may cancel is sent alone: it cannot cancel the others' call.
      const joins = !dryRun && signal === undefined && provider.rebootModes.includes(mode);
      return coalescer !== undefined && joins
        ? coalescer.reboot(target, mode, budgetFrom(options.timeoutMs), rebootOptions.beforeSending)
        : reboot(target, rebootOptions);
    },
    ...(stop && { stop: paced('StopInstances', stop) }),
    ...(start && { start: paced('StartInstances', start) }),
    ...(describe && { describe: describe.bind(provider) }),
    ...(lookupZone && { lookupZone: lookupZone.bind(provider) }),
    close(): void {
      coalescer?.close();
      provider.close?.();
    },
  };
}
