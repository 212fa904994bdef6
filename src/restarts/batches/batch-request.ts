// The body of POST restartbatches, checked as kube-apiserver checks an object it creates: type meta, a name
// (or generateName, completed with five random characters as the API server does), and the spec, whose
// restart options are decoded exactly as a single restart's.
import { isDeepStrictEqual } from 'node:util';
import { strictProblems } from '../../apiserver/duplicate-fields.js';
import * as field from '../../apiserver/field-errors.js';
import { goJson } from '../../apiserver/go-format.js';
import { OBJECT_META_FIELDS } from '../../apiserver/object-meta.js';
import { LabelSelectorError, parseLabelSelector } from '../../apiserver/selectors/label-selector.js';
import { StatusError, invalid } from '../../apiserver/status.js';
import {
  applyFieldValidation,
  type FieldValidation,
  type WarningSink,
} from '../../apiserver/create-options.js';
import {
  checkTypeMeta,
  isObject,
  objectBody,
  objectName,
  unknownFields,
  type Json,
} from '../../apiserver/object-request.js';
import { parseRestartOptions, SPEC_OPTIONS_PATH, type RestartOptions } from '../request/restart-options.js';
import { parseMaintenanceWindow, type MaintenanceWindow } from './maintenance-window.js';

export const BATCH_KIND = 'RestartBatch';
const MAX_NAME = 63 - 'batch-'.length;
const TOP_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'spec']);
const SPEC_FIELDS = new Set([
  'labelSelector',
  'maxUnavailable',
  'maxFailures',
  'maintenanceWindow',
  'options',
  'suspend',
]);
/** What a patch may change: suspend and resume (everything else is fixed at creation). */
const MUTABLE_SPEC_FIELDS = new Set(['suspend']);

export interface BatchRequest {
  name: string;
  labelSelector: string;
  maxUnavailable: number;
  maxFailures: number;
  maintenanceWindow?: MaintenanceWindow;
  options: Omit<RestartOptions, 'dryRun'>;
  /** Created suspended: it starts no node until a patch sets it false. */
  suspend: boolean;
}

/** The unknown fields of a batch's type meta, metadata and spec (its restart options are checked with them). */
function batchUnknownFields(body: Json, top: ReadonlySet<string>): string[] {
  const part = (key: string) => (isObject(body[key]) ? body[key] : {});
  return [
    ...unknownFields(body, top, ''),
    ...unknownFields(part('metadata'), OBJECT_META_FIELDS, 'metadata.'),
    ...unknownFields(part('spec'), SPEC_FIELDS, 'spec.'),
  ];
}

/**
 * A merge patch of a batch, applied (`patched`) and checked: everything but `spec.suspend` and the status is fixed
 * at creation, so the patch may change nothing else (a 422 naming each field changed, as ValidateImmutableField
 * words it); the status is the server's, and changes to it are dropped as kube-apiserver drops them on a main
 * resource. Returns `spec.suspend` as patched (a removed one is false).
 */
export function checkBatchPatch(
  group: string,
  current: { metadata: Json; spec: Json },
  patchedBody: unknown,
  fieldValidation: FieldValidation,
  warn: WarningSink,
  duplicates: readonly string[] = [],
): boolean {
  const patched = objectBody(patchedBody, BATCH_KIND);
  const spec = isObject(patched['spec']) ? patched['spec'] : {};
  const metadata = isObject(patched['metadata']) ? patched['metadata'] : {};
  // As kube-apiserver's patch handler has them (handlers/patch.go): the patch's own duplicate keys, then the unknown
  // fields of the patched object; under Strict a 422 on the field `patch`, whose value is the patched object as
  // Go's merge patch encodes it (keys sorted).
  const problems = [
    ...strictProblems([], duplicates),
    ...strictProblems(batchUnknownFields(patched, new Set([...TOP_FIELDS, 'status'])), []),
  ];
  if (fieldValidation === 'Strict' && problems.length > 0) {
    const patchError = field.invalid(
      'patch',
      goJson(patched, { sortKeys: true }),
      `strict decoding error: ${problems.join(', ')}`,
    );
    throw new StatusError(invalid({ group: '', kind: '', name: '' }, [patchError]));
  }
  applyFieldValidation(fieldValidation, problems, warn);
  checkTypeMeta(group, BATCH_KIND, patched);
  const changed = (path: string, before: Json, after: Json, keys: Iterable<string>) =>
    [...new Set([...Object.keys(before), ...keys])]
      .filter((k) => !isDeepStrictEqual(before[k], after[k]))
      .map((k) => field.invalid(`${path}.${k}`, after[k] ?? null, 'field is immutable'));
  const fixed = [...SPEC_FIELDS].filter((k) => !MUTABLE_SPEC_FIELDS.has(k));
  const suspend = spec['suspend'] ?? false;
  const errors = [
    ...changed('metadata', current.metadata, metadata, Object.keys(metadata)),
    ...changed('spec', withoutMutable(current.spec), withoutMutable(spec), fixed),
    ...suspendErrors(suspend),
  ];
  const name = typeof current.metadata['name'] === 'string' ? current.metadata['name'] : '';
  if (errors.length > 0) throw new StatusError(invalid({ group, kind: BATCH_KIND, name }, errors));
  return suspend as boolean;
}

const withoutMutable = (spec: Json): Json =>
  Object.fromEntries(Object.entries(spec).filter(([k]) => !MUTABLE_SPEC_FIELDS.has(k)));

const suspendErrors = (suspend: unknown): field.FieldError[] =>
  typeof suspend === 'boolean' ? [] : [field.invalid('spec.suspend', suspend, 'must be true or false')];

/** The batch in `body`; unknown fields handled as `fieldValidation` says. */
export function parseBatchRequest(
  group: string,
  given: unknown,
  fieldValidation: FieldValidation,
  warn: WarningSink,
  duplicates: readonly string[] = [],
): BatchRequest {
  const body = objectBody(given, BATCH_KIND);
  const spec = isObject(body['spec']) ? body['spec'] : {};
  const metadata = isObject(body['metadata']) ? body['metadata'] : {};
  checkTypeMeta(group, BATCH_KIND, body);
  const errors: field.FieldError[] = [];
  const name = objectName(metadata, MAX_NAME, errors);
  // The restart options are decoded with the rest of the object, as one Go struct is: their unknown and duplicate
  // fields are reported together with the batch's (one 400 under Strict), before anything is validated.
  const inOptions = (path: string) => path.startsWith(SPEC_OPTIONS_PATH);
  const { dryRun, ...options } = parseRestartOptions({
    group,
    nodeName: name,
    body: spec['options'] ?? {},
    options: { dryRun: false, fieldValidation },
    warn,
    path: SPEC_OPTIONS_PATH,
    enclosingKind: BATCH_KIND,
    duplicates: duplicates.filter(inOptions),
    outerProblems: strictProblems(
      batchUnknownFields(body, TOP_FIELDS),
      duplicates.filter((path) => !inOptions(path)),
    ),
  });
  const labelSelector = spec['labelSelector'];
  if (typeof labelSelector !== 'string' || labelSelector.trim() === '') {
    errors.push(field.required('spec.labelSelector', 'the nodes to restart, e.g. pool=batch'));
  } else {
    try {
      parseLabelSelector(labelSelector);
    } catch (err) {
      if (!(err instanceof LabelSelectorError)) throw err;
      errors.push(field.invalid('spec.labelSelector', labelSelector, err.message));
    }
  }
  const maxUnavailable = spec['maxUnavailable'] ?? 1;
  if (!Number.isInteger(maxUnavailable) || (maxUnavailable as number) < 1) {
    errors.push(field.invalid('spec.maxUnavailable', maxUnavailable, 'must be an integer of at least 1'));
  }
  // 0 by default: a failed restart is a surprise, and the nodes not yet started are better left as they are
  // until someone has looked (kured and Cluster API's MachineHealthCheck likewise stop rather than go on).
  const maxFailures = spec['maxFailures'] ?? 0;
  if (!Number.isInteger(maxFailures) || (maxFailures as number) < 0) {
    errors.push(field.invalid('spec.maxFailures', maxFailures, 'must be an integer of at least 0'));
  }
  const maintenanceWindow = parseMaintenanceWindow(spec['maintenanceWindow'], errors);
  const suspend = spec['suspend'] ?? false;
  errors.push(...suspendErrors(suspend));
  if (errors.length > 0) throw new StatusError(invalid({ group, kind: BATCH_KIND, name }, errors));
  if (dryRun) {
    throw new StatusError(
      invalid({ group, kind: BATCH_KIND, name }, [
        field.forbidden('spec.options.dryRun', 'use the dryRun query parameter'),
      ]),
    );
  }
  return {
    name,
    labelSelector: labelSelector as string,
    maxUnavailable: maxUnavailable as number,
    maxFailures: maxFailures as number,
    ...(maintenanceWindow ? { maintenanceWindow } : {}),
    options,
    suspend: suspend as boolean,
  };
}
