// The bodies of our action subresources (restart, reset, stop, start), decoded the way kube-apiserver decodes a
// request body: unknown fields as fieldValidation says (create-options.ts), wrong JSON types a 400, values outside
// what the API accepts a 422 Invalid naming each field. A body may carry the object metadata client-go's dynamic
// client needs to build the URL (`Create(ctx, obj, opts, "restart")`); its name must be the node's, as for
// pods/eviction (pkg/registry/core/pod/storage/eviction.go).
import 'reflect-metadata';
import { Type, plainToInstance } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { applyFieldValidation, type CreateOptions, type WarningSink } from '../apiserver/create-options.js';
import { strictProblems } from '../apiserver/duplicate-fields.js';
import * as field from '../apiserver/field-errors.js';
import { goByteLength } from '../apiserver/go-format.js';
import { StatusError, badRequest, invalid } from '../apiserver/status.js';
import { VERSION } from '../apiserver/resource-catalog.js';

const DRY_RUN_VALUES = ['All'];
const MAX_REASON_BYTES = 1024;

/** metav1.ObjectMeta: every field of it is known; only the name means something here. */
export class ActionObjectMeta {
  @IsOptional() @IsString() name?: string;
  @Allow() generateName?: unknown;
  @Allow() namespace?: unknown;
  @Allow() selfLink?: unknown;
  @Allow() uid?: unknown;
  @Allow() resourceVersion?: unknown;
  @Allow() generation?: unknown;
  @Allow() creationTimestamp?: unknown;
  @Allow() deletionTimestamp?: unknown;
  @Allow() deletionGracePeriodSeconds?: unknown;
  @Allow() labels?: unknown;
  @Allow() annotations?: unknown;
  @Allow() ownerReferences?: unknown;
  @Allow() finalizers?: unknown;
  @Allow() managedFields?: unknown;
}

/** The fields every action body has, each optional; the kinds extend it (class-validator inherits decorators). */
export class ActionBody {
  @IsOptional() @IsString() apiVersion?: string;
  @IsOptional() @IsString() kind?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ActionObjectMeta) metadata?: ActionObjectMeta;
  @IsOptional() @IsArray() @IsString({ each: true }) dryRun?: string[];
  @IsOptional() @IsString() reason?: string;
  @IsOptional() @IsBoolean() allowControlPlane?: boolean;
  /** Declared (and validated) by the kinds that have one. */
  mode?: string;
}

/** Go's type names of ActionBody's fields that are not strings. */
export const ACTION_GO_TYPES: Readonly<Record<string, string>> = {
  metadata: 'v1.ObjectMeta',
  'metadata.name': 'string',
  dryRun: '[]string',
  allowControlPlane: 'bool',
};

/** A POST to an action subresource, as the controller received it. */
export interface ActionRequest {
  group: string;
  nodeName: string;
  body: unknown;
  /** The query's dryRun and fieldValidation. */
  options: CreateOptions;
  /** Where unknown fields go when fieldValidation is Warn. */
  warn: WarningSink;
  /** Where the body sits in a larger object (`spec.options.`), for the paths of unknown fields. */
  path?: string;
  /** The paths of the body's duplicate keys (duplicate-fields.ts), `path` included. */
  duplicates?: readonly string[];
  /** Unknown and duplicate fields of the enclosing object, reported before the body's own. */
  outerProblems?: readonly string[];
  /** The kind of the enclosing object (`RestartBatch`), which a 422 then names, its fields under `path`. */
  enclosingKind?: string;
}

/**
 * One body kind: its name; the kind of the answer, which discovery names the subresource by and the body's type
 * meta may say too; its class (with class-validator decorators); and Go's type names of the fields that are not
 * strings, by dotted JSON path.
 */
export interface ActionKind<B extends ActionBody> {
  kind: string;
  answerKind: string;
  body: new () => B;
  goTypes: Readonly<Record<string, string>>;
}

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

/** The paths of unknown fields, as strict decoding names them (`drain.force`). */
function unknownFields(errors: ValidationError[], path: string): string[] {
  return flatten(errors)
    .filter((e) => e.error.constraints?.whitelistValidation)
    .map((e) => `${path}${e.path}`);
}

/** The first wrong JSON type, as encoding/json reports it (400 whatever the field validation). */
function typeError(errors: ValidationError[], kind: ActionKind<ActionBody>): string | undefined {
  const wrong = flatten(errors).find((e) => !e.error.constraints?.whitelistValidation);
  if (!wrong) return undefined;
  const value = wrong.error.value as unknown;
  const inner = Array.isArray(value) ? value.find((v) => typeof v !== 'string') : value;
  const goType = Array.isArray(value) ? 'string' : (kind.goTypes[wrong.path] ?? 'string');
  return (
    `json: cannot unmarshal ${jsonType(inner, goType)} into Go struct field ` +
    `${kind.kind}.${wrong.path} of type ${goType}`
  );
}

/**
 * Checks the body's type meta the way the decoder does: it may be left out, but not name something else; and the
 * metadata's name, which must be the node's.
 */
function checkTypeMeta(options: ActionBody, request: ActionRequest, kind: ActionKind<ActionBody>): void {
  const { group } = request;
  const expected = `${group}/${VERSION}`;
  if (options.apiVersion !== undefined && options.apiVersion !== expected) {
    throw new StatusError(
      badRequest(
        `the API version in the data (${options.apiVersion}) does not match the expected API version (${expected})`,
      ),
    );
  }
  if (options.kind !== undefined && options.kind !== kind.kind && options.kind !== kind.answerKind) {
    throw new StatusError(
      badRequest(`the kind in the data (${options.kind}) does not match the expected kind (${kind.kind})`),
    );
  }
  const name = options.metadata?.name;
  if (name !== undefined && name !== '' && name !== request.nodeName) {
    throw new StatusError(badRequest(`name in URL does not match name in ${kind.kind} object`));
  }
}

/**
 * Deeper than any field of an action body: what lies below is inside an unknown field or a value of the wrong type,
 * which are reported above it.
 */
const MAX_FIELD_DEPTH = 16;

/**
 * The value with every array or object below `depth` levels emptied. class-transformer and class-validator walk a
 * body recursively and overflow the stack at a few thousand levels (a 500); the errors Go reports stay the same.
 */
function pruneBelow(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return depth === 0 ? [] : value.map((v) => pruneBelow(v, depth - 1));
  if (depth === 0) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pruneBelow(v, depth - 1)]));
}

/** The body as its class, or a 400 StatusError for what Go's decoder would refuse. */
function decodeActionBody<B extends ActionBody>(request: ActionRequest, kind: ActionKind<B>): B {
  const { body } = request;
  if (body === undefined || body === null) return new kind.body();
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new StatusError(
      badRequest(`json: cannot unmarshal ${jsonType(body)} into Go value of type v1.${kind.kind}`),
    );
  }
  const options = plainToInstance(kind.body, pruneBelow(body, MAX_FIELD_DEPTH));
  const errors = validateSync(options, { whitelist: true, forbidNonWhitelisted: true });
  const wrongType = typeError(errors, kind);
  if (wrongType !== undefined) throw new StatusError(badRequest(wrongType));
  applyFieldValidation(
    request.options.fieldValidation,
    [
      ...(request.outerProblems ?? []),
      ...strictProblems(unknownFields(errors, request.path ?? ''), request.duplicates ?? []),
    ],
    request.warn,
  );
  checkTypeMeta(options, request, kind);
  return options;
}

/** What is wrong with the common fields: dryRun values, a mode outside `modes`, a reason over 1 KiB. */
export function actionFieldErrors(options: ActionBody, modes: readonly string[]): field.FieldError[] {
  const errors: field.FieldError[] = [];
  options.dryRun?.forEach((value, i) => {
    if (!DRY_RUN_VALUES.includes(value))
      errors.push(field.notSupported(`dryRun[${i}]`, value, DRY_RUN_VALUES));
  });
  if (options.mode !== undefined && !modes.includes(options.mode)) {
    errors.push(field.notSupported('mode', options.mode, modes));
  }
  if (options.reason !== undefined && goByteLength(options.reason) > MAX_REASON_BYTES) {
    errors.push(field.tooLong('reason', MAX_REASON_BYTES));
  }
  return errors;
}

/**
 * The body of `request` decoded as `kind` and checked with `fieldErrors`; dryRun from the query or the body, and an
 * empty reason as none. Throws the StatusError kube-apiserver would answer.
 */
export function parseAction<B extends ActionBody>(
  request: ActionRequest,
  kind: ActionKind<B>,
  fieldErrors: (body: B) => field.FieldError[],
): { body: B; dryRun: boolean; reason?: string } {
  const body = decodeActionBody(request, kind);
  const at = request.path ?? '';
  const errors = fieldErrors(body).map((e) => ({ ...e, field: `${at}${e.field}` }));
  throwIfInvalid(errors, request.group, request.enclosingKind ?? kind.kind, request.nodeName);
  return {
    body,
    dryRun: request.options.dryRun || (body.dryRun?.length ?? 0) > 0,
    reason: body.reason === '' ? undefined : body.reason,
  };
}

/** A 422 Invalid on the options kind, naming the node, when there are field errors. */
export function throwIfInvalid(
  errors: field.FieldError[],
  group: string,
  kind: string,
  nodeName: string,
): void {
  if (errors.length > 0) throw new StatusError(invalid({ group, kind, name: nodeName }, errors));
}
