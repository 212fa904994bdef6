// The body of POST and PUT noderepairpolicies, checked as kube-apiserver checks an object it stores: type meta, a
// name, unknown fields as fieldValidation says, and the spec — every bad value a cause of one 422. The restart
// options are decoded exactly as a single restart's. notReadyTimeout has a floor (--repair-min-not-ready-timeout):
// a node rebooting for an update is NotReady for a minute or two, and must not be "repaired" meanwhile.
import { strictProblems } from '../apiserver/duplicate-fields.js';
import * as field from '../apiserver/field-errors.js';
import { OBJECT_META_FIELDS } from '../apiserver/object-meta.js';
import { applyFieldValidation, type FieldValidation, type WarningSink } from '../apiserver/create-options.js';
import {
  checkTypeMeta,
  isObject,
  objectBody,
  objectName,
  unknownFields,
  type Json,
} from '../apiserver/object-request.js';
import { LabelSelectorError, parseLabelSelector } from '../apiserver/selectors/label-selector.js';
import { StatusError, invalid } from '../apiserver/status.js';
import { parseDuration } from '../config/duration.js';
import { parseSpecOptions, SPEC_OPTIONS_PATH } from '../restarts/request/restart-options.js';
import { POLICY_KIND, type PolicyMode, type PolicySpec } from './node-repair-policy.js';

const MAX_NAME = 63 - 'repair-policy-'.length;
const TOP_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
const SPEC_FIELDS = new Set([
  'nodeSelector',
  'notReadyTimeout',
  'maxUnhealthy',
  'maxRepairsPerHour',
  'mode',
  'options',
]);
const MODES: readonly PolicyMode[] = ['Repair', 'DryRun'];
export const DEFAULT_NOT_READY_TIMEOUT = '10m';
export const DEFAULT_MAX_UNHEALTHY = '40%';
export const DEFAULT_MAX_REPAIRS_PER_HOUR = 3;
const MAX_REPAIRS_PER_HOUR = 60;
const PERCENT = /^(\d{1,3})%$/;

export interface PolicyRequest {
  name: string;
  /** metadata.resourceVersion of an update: it must still be the policy's (else 409), as for any object. */
  resourceVersion?: string;
  spec: PolicySpec;
}

/** Go's time.Duration.String() for whole seconds: 3m0s, 10s, 1h0m0s. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${m}m${s % 60}s` : m > 0 ? `${m}m${s % 60}s` : `${s}s`;
}

function notReadyTimeout(value: unknown, floorMs: number, errors: field.FieldError[]): number {
  const path = 'spec.notReadyTimeout';
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined) {
    errors.push(field.invalid(path, value, 'must be a duration such as 10m or 5m30s'));
    return 0;
  }
  if (ms < floorMs) errors.push(field.invalid(path, value, `must be at least ${goDuration(floorMs)}`));
  return ms;
}

function checkMaxUnhealthy(value: unknown, errors: field.FieldError[]): void {
  const path = 'spec.maxUnhealthy';
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0)
      errors.push(field.invalid(path, value, 'must be an integer of at least 0'));
    return;
  }
  const percent = typeof value === 'string' ? PERCENT.exec(value) : null;
  if (!percent || Number(percent[1]) > 100)
    errors.push(
      field.invalid(path, value, 'must be a count such as 2 or a percentage such as 40% (0% to 100%)'),
    );
}

function checkSelector(value: unknown, errors: field.FieldError[]): void {
  const path = 'spec.nodeSelector';
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push(field.required(path, 'the nodes to watch, e.g. node-role.kubernetes.io/worker'));
    return;
  }
  try {
    parseLabelSelector(value);
  } catch (err) {
    if (!(err instanceof LabelSelectorError)) throw err;
    errors.push(field.invalid(path, value, err.message));
  }
}

/** The policy in `given`; `floorMs` is the least notReadyTimeout accepted. */
export function parsePolicyRequest(
  group: string,
  given: unknown,
  floorMs: number,
  fieldValidation: FieldValidation,
  warn: WarningSink,
  duplicates: readonly string[] = [],
): PolicyRequest {
  const body = objectBody(given, POLICY_KIND);
  const spec: Json = isObject(body['spec']) ? body['spec'] : {};
  const metadata: Json = isObject(body['metadata']) ? body['metadata'] : {};
  // status is the server's: accepted and dropped, as kube-apiserver drops it on a main resource.
  const unknown = [
    ...unknownFields(body, TOP_FIELDS, ''),
    ...unknownFields(metadata, OBJECT_META_FIELDS, 'metadata.'),
    ...unknownFields(spec, SPEC_FIELDS, 'spec.'),
  ];
  const outside = duplicates.filter((path) => !path.startsWith(SPEC_OPTIONS_PATH));
  applyFieldValidation(fieldValidation, strictProblems(unknown, outside), warn);
  checkTypeMeta(group, POLICY_KIND, body);
  const errors: field.FieldError[] = [];
  const name = objectName(metadata, MAX_NAME, errors);
  checkSelector(spec['nodeSelector'], errors);
  const timeout = (spec['notReadyTimeout'] ?? DEFAULT_NOT_READY_TIMEOUT) as string;
  const timeoutMs = notReadyTimeout(timeout, floorMs, errors);
  const maxUnhealthy = (spec['maxUnhealthy'] ?? DEFAULT_MAX_UNHEALTHY) as number | string;
  checkMaxUnhealthy(maxUnhealthy, errors);
  const maxRepairs = spec['maxRepairsPerHour'] ?? DEFAULT_MAX_REPAIRS_PER_HOUR;
  if (
    !Number.isInteger(maxRepairs) ||
    (maxRepairs as number) < 1 ||
    (maxRepairs as number) > MAX_REPAIRS_PER_HOUR
  ) {
    errors.push(
      field.invalid(
        'spec.maxRepairsPerHour',
        maxRepairs,
        `must be an integer from 1 to ${MAX_REPAIRS_PER_HOUR}`,
      ),
    );
  }
  const mode = spec['mode'] ?? 'Repair';
  if (!MODES.includes(mode as PolicyMode)) errors.push(field.notSupported('spec.mode', mode, MODES));
  if (errors.length > 0) throw new StatusError(invalid({ group, kind: POLICY_KIND, name }, errors));
  const options = parseSpecOptions(
    { group, kind: POLICY_KIND, name },
    spec['options'],
    fieldValidation,
    warn,
    'use spec.mode: DryRun',
    duplicates,
  );
  const resourceVersion = metadata['resourceVersion'];
  return {
    name,
    ...(typeof resourceVersion === 'string' && resourceVersion ? { resourceVersion } : {}),
    spec: {
      nodeSelector: spec['nodeSelector'] as string,
      notReadyTimeout: timeout,
      notReadyTimeoutMs: timeoutMs,
      maxUnhealthy,
      maxRepairsPerHour: maxRepairs as number,
      mode: mode as PolicyMode,
      options,
    },
  };
}
