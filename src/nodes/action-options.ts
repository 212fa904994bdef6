// The bodies of our action subresources (restart, reset, stop, start) and their dryRun query parameter, decoded
// the way kube-apiserver decodes a request body with strict field validation: unknown fields and wrong JSON types
// are 400s, values outside what the API accepts are a 422 Invalid naming each field.
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import * as field from '../apiserver/field-errors.js';
import { goByteLength } from '../apiserver/go-format.js';
import { StatusError, badRequest, invalid } from '../apiserver/status.js';
import { VERSION } from '../apiserver/resource-catalog.js';

const DRY_RUN_VALUES = ['All'];
const MAX_REASON_BYTES = 1024;

/** The fields every action body has; each is optional. */
export interface ActionBody {
  apiVersion?: string;
  kind?: string;
  dryRun?: string[];
  mode?: string;
  reason?: string;
}

/** A POST to an action subresource, as the controller received it. */
export interface ActionRequest {
  group: string;
  nodeName: string;
  body: unknown;
  /** The dryRun query parameter, as Express parsed it (a string, or a list when repeated). */
  dryRunQuery: unknown;
}

/**
 * One body kind: its name, its class (with class-validator decorators), and Go's type names of the fields that are
 * not strings, by dotted JSON path.
 */
export interface ActionKind<B extends ActionBody> {
  kind: string;
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

/** The first decoding error, as Go's strict JSON decoding reports it (400). */
function decodingError(errors: ValidationError[], kind: ActionKind<ActionBody>): string | undefined {
  const flat = flatten(errors);
  const unknown = flat.filter((e) => e.error.constraints?.whitelistValidation);
  if (unknown.length > 0) {
    return `strict decoding error: ${unknown.map((e) => `unknown field ${JSON.stringify(e.path)}`).join(', ')}`;
  }
  const wrong = flat[0];
  if (!wrong) return undefined;
  const value = wrong.error.value as unknown;
  const inner = Array.isArray(value) ? value.find((v) => typeof v !== 'string') : value;
  const goType = Array.isArray(value) ? 'string' : (kind.goTypes[wrong.path] ?? 'string');
  return (
    `json: cannot unmarshal ${jsonType(inner, goType)} into Go struct field ` +
    `${kind.kind}.${wrong.path} of type ${goType}`
  );
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

/** Checks the body's type meta the way the decoder does: it may be left out, but not name something else. */
function checkTypeMeta(options: ActionBody, group: string, kind: string): void {
  const expected = `${group}/${VERSION}`;
  if (options.apiVersion !== undefined && options.apiVersion !== expected) {
    throw new StatusError(
      badRequest(
        `the API version in the data (${options.apiVersion}) does not match the expected API version (${expected})`,
      ),
    );
  }
  if (options.kind !== undefined && options.kind !== kind) {
    throw new StatusError(
      badRequest(`the kind in the data (${options.kind}) does not match the expected kind (${kind})`),
    );
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

/** The body as its class, or a 400 StatusError for what Go's strict decoder would refuse. */
function decodeActionBody<B extends ActionBody>(body: unknown, group: string, kind: ActionKind<B>): B {
  if (body === undefined || body === null) return new kind.body();
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new StatusError(
      badRequest(`json: cannot unmarshal ${jsonType(body)} into Go value of type v1.${kind.kind}`),
    );
  }
  const options = plainToInstance(kind.body, pruneBelow(body, MAX_FIELD_DEPTH));
  const errors = validateSync(options, { whitelist: true, forbidNonWhitelisted: true });
  const decoding = decodingError(errors, kind);
  if (decoding !== undefined) throw new StatusError(badRequest(decoding));
  checkTypeMeta(options, group, kind.kind);
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
  const dryRunQuery = dryRunFromQuery(request.dryRunQuery);
  const body = decodeActionBody(request.body, request.group, kind);
  throwIfInvalid(fieldErrors(body), request.group, kind.kind, request.nodeName);
  return {
    body,
    dryRun: dryRunQuery || (body.dryRun?.length ?? 0) > 0,
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
