// RestartOptions.drain: evict the node's pods through the Eviction API (so PodDisruptionBudgets hold) before
// the reboot, as `kubectl drain` does, within a time limit and with a choice of what to do when it runs out.
import { IsInt, IsOptional, IsString } from 'class-validator';
import * as field from '../../apiserver/field-errors.js';

export const DRAIN_ON_TIMEOUT = ['Fail', 'Proceed'] as const;
export type DrainOnTimeout = (typeof DRAIN_ON_TIMEOUT)[number];

export const DEFAULT_DRAIN_TIMEOUT_SECONDS = 300;
const MAX_DRAIN_TIMEOUT_SECONDS = 86_400;

export class DrainOptionsBody {
  @IsOptional() @IsInt() gracePeriodSeconds?: number;
  @IsOptional() @IsInt() timeoutSeconds?: number;
  // Its value is checked with the other fields, so a bad one is a 422 naming the valid ones.
  @IsOptional() @IsString() onTimeout?: string;
}

/** Go's names for the JSON types of the fields, for decoding errors. */
export const DRAIN_GO_TYPES: Record<string, string> = {
  gracePeriodSeconds: 'int64',
  timeoutSeconds: 'int64',
  onTimeout: 'string',
};

export interface DrainOptions {
  /** Each pod's own grace period when absent (or -1). */
  gracePeriodSeconds?: number;
  timeoutSeconds: number;
  /** Fail: give up and uncordon, nothing restarted. Proceed: reboot with the pods that are left. */
  onTimeout: DrainOnTimeout;
}

export function drainFieldErrors(drain: DrainOptionsBody): field.FieldError[] {
  const errors: field.FieldError[] = [];
  const grace = drain.gracePeriodSeconds;
  if (grace !== undefined && grace < -1) {
    errors.push(field.invalid('drain.gracePeriodSeconds', grace, 'must be greater than or equal to -1'));
  }
  const timeout = drain.timeoutSeconds;
  if (timeout !== undefined && (timeout < 1 || timeout > MAX_DRAIN_TIMEOUT_SECONDS)) {
    errors.push(
      field.invalid(
        'drain.timeoutSeconds',
        timeout,
        `must be between 1 and ${MAX_DRAIN_TIMEOUT_SECONDS}, inclusive`,
      ),
    );
  }
  if (drain.onTimeout !== undefined && !DRAIN_ON_TIMEOUT.includes(drain.onTimeout as DrainOnTimeout)) {
    errors.push(field.notSupported('drain.onTimeout', drain.onTimeout, DRAIN_ON_TIMEOUT));
  }
  return errors;
}

/** The validated body with its defaults. */
export function drainOptions(drain: DrainOptionsBody): DrainOptions {
  const grace = drain.gracePeriodSeconds;
  return {
    ...(grace === undefined || grace < 0 ? {} : { gracePeriodSeconds: grace }),
    timeoutSeconds: drain.timeoutSeconds ?? DEFAULT_DRAIN_TIMEOUT_SECONDS,
    onTimeout: (drain.onTimeout as DrainOnTimeout | undefined) ?? 'Fail',
  };
}
