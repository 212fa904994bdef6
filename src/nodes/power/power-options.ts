// The bodies of POST nodes/NAME/stop (StopOptions) and nodes/NAME/start (StartOptions) and their dryRun query
// parameter, decoded as every action body is (action-options.ts). A start has no mode: one is an unknown field.
import { IsOptional, IsString } from 'class-validator';
import { DEFAULT_REBOOT_MODE, REBOOT_MODES, type RebootMode } from '../../cloud/contract/provider.js';
import { ActionBody, ACTION_GO_TYPES as goTypes, actionFieldErrors, parseAction } from '../action-options.js';
import type { ActionKind, ActionRequest } from '../action-options.js';
import { NODE_POWER_ACTION_KIND } from './node-power-action.js';

export type PowerAction = 'Stop' | 'Start';

export class StartOptionsBody extends ActionBody {}

export class StopOptionsBody extends ActionBody {
  @IsOptional() @IsString() declare mode?: string;
}

export const POWER_OPTIONS_KINDS: Readonly<Record<PowerAction, ActionKind<ActionBody>>> = {
  Stop: {
    kind: 'StopOptions',
    answerKind: NODE_POWER_ACTION_KIND,
    body: StopOptionsBody,
    goTypes,
  },
  Start: {
    kind: 'StartOptions',
    answerKind: NODE_POWER_ACTION_KIND,
    body: StartOptionsBody,
    goTypes,
  },
};

export interface PowerOptions {
  action: PowerAction;
  dryRun: boolean;
  /** How a stop shuts the instance down; default the graceful mode that falls back to a forced stop. */
  mode?: RebootMode;
  reason?: string;
  /** Control-plane nodes are refused unless the caller sets this (and may create nodes/restart-control-plane). */
  allowControlPlane: boolean;
}

/** The options of one stop or start request, or a StatusError saying what is wrong with them. */
export function parsePowerOptions(action: PowerAction, request: ActionRequest): PowerOptions {
  const { body, dryRun, reason } = parseAction(request, POWER_OPTIONS_KINDS[action], (b) =>
    actionFieldErrors(b, REBOOT_MODES),
  );
  const mode = (body.mode as RebootMode | undefined) ?? DEFAULT_REBOOT_MODE;
  return {
    action,
    dryRun,
    ...(action === 'Stop' && { mode }),
    reason,
    allowControlPlane: body.allowControlPlane === true,
  };
}
