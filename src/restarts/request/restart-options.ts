// The body of POST nodes/NAME/restart and its dryRun query parameter, decoded as every action body is
// (action-options.ts): unknown fields and wrong JSON types are 400s, values the API does not accept a 422.
// class-transformer's @Type reads the design:type metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { REBOOT_MODES, type RebootMode } from '../../cloud/contract/provider.js';
import * as field from '../../apiserver/field-errors.js';
import type { FieldValidation, WarningSink } from '../../apiserver/create-options.js';
import { StatusError, invalid } from '../../apiserver/status.js';
import {
  ACTION_GO_TYPES,
  ActionBody,
  type ActionKind,
  type ActionRequest,
  actionFieldErrors,
  parseAction,
} from '../../nodes/action-options.js';
import {
  DrainOptionsBody,
  DRAIN_GO_TYPES,
  drainFieldErrors,
  drainOptions,
  type DrainOptions,
} from '../drain/drain-options.js';

export const RESTART_OPTIONS_KIND = 'RestartOptions';
/** What nodes/restart and nodes/reset answer; discovery names them by it, so a body may say it too. */
export const NODE_RESTART_KIND = 'NodeRestart';

/** The JSON body as the API defines it; every field is optional. */
export class RestartOptionsBody extends ActionBody {
  @IsOptional() @IsString() declare mode?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => DrainOptionsBody) drain?: DrainOptionsBody;
}

/** Go's names for the JSON types, as encoding/json's UnmarshalTypeError prints them. */
const GO_TYPES: Record<string, string> = {
  ...ACTION_GO_TYPES,
  drain: 'v1.DrainOptions',
  ...Object.fromEntries(Object.entries(DRAIN_GO_TYPES).map(([k, v]) => [`drain.${k}`, v])),
};

const RESTART_KIND: ActionKind<RestartOptionsBody> = {
  kind: RESTART_OPTIONS_KIND,
  answerKind: NODE_RESTART_KIND,
  body: RestartOptionsBody,
  goTypes: GO_TYPES,
};

export interface RestartOptions {
  dryRun: boolean;
  /** Undefined: the provider's default (the graceful mode that falls back to hard). */
  mode?: RebootMode;
  reason?: string;
  /** Control-plane nodes are refused unless the caller sets this (and may create nodes/restart-control-plane). */
  allowControlPlane: boolean;
  /** Cordon and evict the node's pods before the reboot; absent: reboot at once. */
  drain?: DrainOptions;
}

export type RestartRequest = ActionRequest;

function fieldErrors(options: RestartOptionsBody): field.FieldError[] {
  const errors: field.FieldError[] = actionFieldErrors(options, REBOOT_MODES);
  if (options.drain) errors.push(...drainFieldErrors(options.drain));
  return errors;
}

/** The options of one restart request, or a StatusError saying what is wrong with them. */
export function parseRestartOptions(request: RestartRequest): RestartOptions {
  const { body: options, dryRun, reason } = parseAction(request, RESTART_KIND, fieldErrors);
  return {
    dryRun,
    mode: options.mode as RebootMode | undefined,
    reason,
    allowControlPlane: options.allowControlPlane === true,
    ...(options.drain ? { drain: drainOptions(options.drain) } : {}),
  };
}

export const SPEC_OPTIONS_PATH = 'spec.options.';

/**
 * The restart options an object carries in spec.options (a batch's, a repair policy's): decoded as a restart's
 * body, with no dryRun of their own — `dryRunHint` says what to use instead.
 */
export function parseSpecOptions(
  target: { group: string; kind: string; name: string },
  body: unknown,
  fieldValidation: FieldValidation,
  warn: WarningSink,
  dryRunHint: string,
  duplicates: readonly string[] = [],
): Omit<RestartOptions, 'dryRun'> {
  const { dryRun, ...options } = parseRestartOptions({
    group: target.group,
    nodeName: target.name,
    body,
    options: { dryRun: false, fieldValidation },
    warn,
    path: SPEC_OPTIONS_PATH,
    enclosingKind: target.kind,
    duplicates: duplicates.filter((path) => path.startsWith(SPEC_OPTIONS_PATH)),
  });
  if (dryRun) throw new StatusError(invalid(target, [field.forbidden('spec.options.dryRun', dryRunHint)]));
  return options;
}
