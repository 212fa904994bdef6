// The body of POST restartbatches, checked as kube-apiserver checks an object it creates: type meta, a name
// (or generateName, completed with five random characters as the API server does), and the spec, whose
// restart options are decoded exactly as a single restart's.
import { isDeepStrictEqual } from 'node:util';
import * as field from '../../apiserver/field-errors.js';
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
import { parseSpecOptions, type RestartOptions } from '../request/restart-options.js';
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
]);

export interface BatchRequest {
  name: string;
  labelSelector: string;
  maxUnavailable: number;
  maxFailures: number;
  maintenanceWindow?: MaintenanceWindow;
  options: Omit<RestartOptions, 'dryRun'>;
}

/**
 * A merge patch of a batch, applied (`patched`) and checked: everything but the status is fixed at creation, so the
 * patch may change nothing else (a 422 naming each field changed, as ValidateImmutableField words it); the status
 * is the server's, and changes to it are dropped as kube-apiserver drops them on a main resource.
 */
export function checkBatchPatch(
  group: string,
  current: { metadata: Json; spec: Json },
  patchedBody: unknown,
  fieldValidation: FieldValidation,
  warn: WarningSink,
): void {
  const patched = objectBody(patchedBody, BATCH_KIND);
  const spec = isObject(patched['spec']) ? patched['spec'] : {};
  const metadata = isObject(patched['metadata']) ? patched['metadata'] : {};
  applyFieldValidation(
    fieldValidation,
    [
      ...unknownFields(patched, new Set([...TOP_FIELDS, 'status']), ''),
      ...unknownFields(spec, SPEC_FIELDS, 'spec.'),
    ],
    warn,
  );
  checkTypeMeta(group, BATCH_KIND, patched);
  const changed = (path: string, before: Json, after: Json, keys: Iterable<string>) =>
    [...new Set([...Object.keys(before), ...keys])]
      .filter((k) => !isDeepStrictEqual(before[k], after[k]))
      .map((k) => field.invalid(`${path}.${k}`, after[k] ?? null, 'field is immutable'));
  const errors = [
    ...changed('metadata', current.metadata, metadata, Object.keys(metadata)),
    ...changed('spec', current.spec, spec, SPEC_FIELDS),
  ];
  const name = typeof current.metadata['name'] === 'string' ? current.metadata['name'] : '';
  if (errors.length > 0) throw new StatusError(invalid({ group, kind: BATCH_KIND, name }, errors));
}

/** The batch in `body`; unknown fields handled as `fieldValidation` says. */
export function parseBatchRequest(
  group: string,
  given: unknown,
  fieldValidation: FieldValidation,
  warn: WarningSink,
): BatchRequest {
  const body = objectBody(given, BATCH_KIND);
  const spec = isObject(body['spec']) ? body['spec'] : {};
  const metadata = isObject(body['metadata']) ? body['metadata'] : {};
  const unknown = [...unknownFields(body, TOP_FIELDS, ''), ...unknownFields(spec, SPEC_FIELDS, 'spec.')];
  applyFieldValidation(fieldValidation, unknown, warn);
  checkTypeMeta(group, BATCH_KIND, body);
  const errors: field.FieldError[] = [];
  const name = objectName(metadata, MAX_NAME, errors);
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
  if (errors.length > 0) throw new StatusError(invalid({ group, kind: BATCH_KIND, name }, errors));
  const options = parseSpecOptions(
    { group, kind: BATCH_KIND, name },
    spec['options'],
    fieldValidation,
    warn,
    'use the dryRun query parameter',
  );
  return {
    name,
    labelSelector: labelSelector as string,
    maxUnavailable: maxUnavailable as number,
    maxFailures: maxFailures as number,
    ...(maintenanceWindow ? { maintenanceWindow } : {}),
    options,
  };
}
