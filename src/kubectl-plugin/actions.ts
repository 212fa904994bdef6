// The node actions the plugin asks for, each its own subresource and RBAC permission: `kubectl restart`, and the
// same executable as `kubectl reset` (a hard reset: nodes/reset), `kubectl stop` and `kubectl start` (power off and
// on: nodes/stop, nodes/start). What each accepts of the flags, and the body kind it sends.
import { UsageError, type Options } from './options.js';

export type Action = 'restart' | 'reset' | 'stop' | 'start';

export interface ActionSpec {
  /** The body's kind. */
  kind: string;
  /** Past tense, for "… requested". */
  noun: string;
  /** Followed with --wait (an operation); a stop or start is one cloud call. */
  followed: boolean;
}

export const ACTIONS: Readonly<Record<Action, ActionSpec>> = {
  restart: { kind: 'RestartOptions', noun: 'restart', followed: true },
  reset: { kind: 'RestartOptions', noun: 'reset', followed: true },
  stop: { kind: 'StopOptions', noun: 'stop', followed: false },
  start: { kind: 'StartOptions', noun: 'start', followed: false },
};

/** Flags that mean nothing for `action`: a usage error naming the first. */
export function checkActionFlags(action: Action, options: Options): void {
  const refuse = (flag: string, why: string) => {
    throw new UsageError(`${flag} does not apply to kubectl ${action}: ${why}`);
  };
  if (action === 'restart') return;
  if (options.maxUnavailable !== undefined) refuse('--max-unavailable', 'batches restart');
  if (action === 'reset' && options.mode !== undefined && options.mode !== 'Hard')
    refuse('--mode', 'a reset is always Hard');
  if (ACTIONS[action].followed) return;
  if (options.wait) refuse('--wait', `a ${action} is one cloud call, with nothing to follow`);
  if (options.drain) refuse('--drain', `only a restart or reset drains the node`);
  if (action === 'start' && options.mode !== undefined) refuse('--mode', 'a start has no mode');
}
