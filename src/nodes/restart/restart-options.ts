// The body of POST nodes/NAME/restart and its dryRun query parameter, decoded the way kube-apiserver
// decodes a request body with strict field validation: unknown fields and wrong JSON types are 400s,
// values outside what the API accepts are a 422 Invalid naming each field.
// class-transformer's @Type reads the design:type metadata.
import 'reflect-metadata';
import { Type, plainToInstance } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { REBOOT_MODES, type RebootMode } from '../../cloud/cloud-provider.js';
import * as field from '../../common/field-errors.js';
import { goByteLength } from '../../common/go-format.js';
import { StatusError, badRequest, invalid } from '../../common/status.js';
import { VERSION } from '../../discovery/resource-catalog.js';
import {
  DrainOptionsBody,
  DRAIN_GO_TYPES,
  drainFieldErrors,
  drainOptions,
  type DrainOptions,
} from './drain/drain-options.js';

export const RESTART_OPTIONS_KIND = 'RestartOptions';
const DRY_RUN_VALUES = ['All'];
const MAX_REASON_BYTES = 1024;

/** The JSON body as the API defines it; every field is optional. */
export class RestartOptionsBody {
  @IsOptional() @IsString() apiVersion?: string;
  @IsOptional() @IsString() kind?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) dryRun?: string[];
  @IsOptional() @IsString() mode?: string;
  @IsOptional() @IsString() reason?: string;
  @IsOptional() @IsBoolean() allowControlPlane?: boolean;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => DrainOptionsBody) drain?: DrainOptionsBody;
}

/** Go's names for the JSON types, as encoding/json's UnmarshalTypeError prints them. */
const GO_TYPES: Record<string, string> = {
  dryRun: '[]string',
  allowControlPlane: 'bool',
  drain: 'v1.DrainOptions',
  ...Object.fromEntries(Object.entries(DRAIN_GO_TYPES).map(([k, v]) => [`drain.${k}`, v])),
};

/** A JSON value as encoding/json names it in an UnmarshalTypeError; a number that is no integer, with its text. */
function jsonType(value: unknown, goType = ''): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && goType.startsWith('int')) return `number ${value}`;
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

interface FlatError {
  path: string;
  error: ValidationError;
}

/** Nested validation errors with their dotted JSON paths ("drain.timeoutSeconds"). */
function flatten(errors: ValidationError[], prefix = ''): FlatError[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = error.constraints ? [{ path, error }] : [];
    return [...own, ...flatten(error.children ?? [], `${path}.`)];
  });
}

/** The first decoding error, as Go's strict JSON decoding reports it (400). */
function decodingError(errors: ValidationError[]): string | undefined {
  const flat = flatten(errors);
  const unknown = flat.filter((e) => e.error.constraints?.whitelistValidation);
  if (unknown.length > 0) {
    return `strict decoding error: ${unknown.map((e) => `unknown field ${JSON.stringify(e.path)}`).join(', ')}`;
  }
  const wrong = flat[0];
  if (!wrong) return undefined;
  const value = wrong.error.value as unknown;
  const inner = Array.isArray(value) ? value.find((v) => typeof v !== 'string') : value;
  const goType = Array.isArray(value) ? 'string' : (GO_TYPES[wrong.path] ?? 'string');
  return (
    `json: cannot unmarshal ${jsonType(inner, goType)} into Go struct field ` +
    `${RESTART_OPTIONS_KIND}.${wrong.path} of type ${goType}`
  );
}

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

export interface RestartRequest {
  group: string;
  nodeName: string;
  body: unknown;
  /** The dryRun query parameter, as Express parsed it (a string, or a list when repeated). */
  dryRunQuery: unknown;
}

function queryValues(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** The query's dryRun, validated as ValidateCreateOptions does (422 on CreateOptions.meta.k8s.io). */
export function dryRunFromQuery(value: unknown): boolean {
  const values = queryValues(value);
  if (values.some((v) => !DRY_RUN_VALUES.includes(v))) {
    const error = field.notSupported('dryRun', values, DRY_RUN_VALUES);
    throw new StatusError(invalid({ group: 'meta.k8s.io', kind: 'CreateOptions', name: '' }, [error]));
  }
  return values.length > 0;
}

function decodeBody(body: unknown): RestartOptionsBody {
  if (body === undefined || body === null) return new RestartOptionsBody();
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new StatusError(
      badRequest(`json: cannot unmarshal ${jsonType(body)} into Go value of type v1.${RESTART_OPTIONS_KIND}`),
    );
  }
  const options = plainToInstance(RestartOptionsBody, body);
  const errors = validateSync(options, { whitelist: true, forbidNonWhitelisted: true });
  const decoding = decodingError(errors);
  if (decoding !== undefined) throw new StatusError(badRequest(decoding));
  return options;
}

/** Checks the body's type meta the way the decoder does: it may be left out, but not name something else. */
function checkTypeMeta(options: RestartOptionsBody, group: string): void {
  const expected = `${group}/${VERSION}`;
  if (options.apiVersion !== undefined && options.apiVersion !== expected) {
    throw new StatusError(
      badRequest(
        `the API version in the data (${options.apiVersion}) does not match the expected API version (${expected})`,
      ),
    );
  }
  if (options.kind !== undefined && options.kind !== RESTART_OPTIONS_KIND) {
    throw new StatusError(
      badRequest(
        `the kind in the data (${options.kind}) does not match the expected kind (${RESTART_OPTIONS_KIND})`,
      ),
    );
  }
}

function fieldErrors(options: RestartOptionsBody): field.FieldError[] {
  const errors: field.FieldError[] = [];
  options.dryRun?.forEach((value, i) => {
    if (!DRY_RUN_VALUES.includes(value))
      errors.push(field.notSupported(`dryRun[${i}]`, value, DRY_RUN_VALUES));
  });
  if (options.mode !== undefined && !REBOOT_MODES.includes(options.mode as RebootMode)) {
    errors.push(field.notSupported('mode', options.mode, REBOOT_MODES));
  }
  if (options.reason !== undefined && goByteLength(options.reason) > MAX_REASON_BYTES) {
    errors.push(field.tooLong('reason', MAX_REASON_BYTES));
  }
  if (options.drain) errors.push(...drainFieldErrors(options.drain));
  return errors;
}

/** The options of one restart request, or a StatusError saying what is wrong with them. */
export function parseRestartOptions(request: RestartRequest): RestartOptions {
  const dryRunQuery = dryRunFromQuery(request.dryRunQuery);
  const options = decodeBody(request.body);
  checkTypeMeta(options, request.group);
  const errors = fieldErrors(options);
  if (errors.length > 0) {
    const target = { group: request.group, kind: RESTART_OPTIONS_KIND, name: request.nodeName };
    throw new StatusError(invalid(target, errors));
  }
  return {
    dryRun: dryRunQuery || (options.dryRun?.length ?? 0) > 0,
    mode: options.mode as RebootMode | undefined,
    reason: options.reason === '' ? undefined : options.reason,
    allowControlPlane: options.allowControlPlane === true,
    ...(options.drain ? { drain: drainOptions(options.drain) } : {}),
  };
}
