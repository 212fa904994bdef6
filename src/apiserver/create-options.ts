// The query parameters of a create (metav1.CreateOptions) that we serve — dryRun and fieldValidation — checked as
// k8s.io/apimachinery's ValidateCreateOptions does, and field validation applied as k8s.io/apiserver's create
// handler applies it (pkg/endpoints/handlers/create.go): Strict refuses unknown fields with a 400, Warn (the
// default) accepts the object without them and says so in `Warning` headers, Ignore drops them silently.
import type { Response } from 'express';
import * as field from './field-errors.js';
import { StatusError, badRequest, invalid } from './status.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface CreateOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
}

/** Where a decoder's problems go when the directive is Warn: a `Warning` header each. */
export type WarningSink = (text: string) => void;

const DRY_RUN_VALUES = ['All'];
const FIELD_VALIDATION_VALUES = ['', 'Ignore', 'Strict', 'Warn'];

function queryValues(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * The query's CreateOptions (or UpdateOptions, PatchOptions, DeleteOptions: the same parameters), or a 422 on `kind`.meta.k8s.io naming
 * every bad value.
 */
export function createOptionsFromQuery(
  query: Record<string, unknown>,
  kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions' = 'CreateOptions',
): CreateOptions {
  const dryRun = queryValues(query['dryRun']);
  // Go decodes a repeated parameter of a string field from its first value.
  const fieldValidation = queryValues(query['fieldValidation'])[0] ?? '';
  const errors: field.FieldError[] = [];
  if (dryRun.some((v) => !DRY_RUN_VALUES.includes(v)))
    errors.push(field.notSupported('dryRun', dryRun, DRY_RUN_VALUES));
  if (!FIELD_VALIDATION_VALUES.includes(fieldValidation))
    errors.push(field.notSupported('fieldValidation', fieldValidation, FIELD_VALIDATION_VALUES));
  if (errors.length > 0) throw new StatusError(invalid({ group: 'meta.k8s.io', kind, name: '' }, errors));
  return {
    dryRun: dryRun.length > 0,
    fieldValidation: (fieldValidation || 'Warn') as FieldValidation,
  };
}

/**
 * What strict decoding found (`unknown field "spec.x"`), handled as the directive says: a 400 BadRequest listing
 * them all (Strict), a warning each (Warn), or nothing (Ignore).
 */
export function applyFieldValidation(
  directive: FieldValidation,
  problems: readonly string[],
  warn: WarningSink,
): void {
  if (problems.length === 0 || directive === 'Ignore') return;
  if (directive === 'Strict')
    throw new StatusError(badRequest(`strict decoding error: ${problems.join(', ')}`));
  problems.forEach(warn);
}

/** net.NewWarningHeader(299, "-", text): only `"` and `\` are escaped in the quoted text. */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** A sink that adds each warning to the response as kube-apiserver's warning recorder does. */
export function responseWarnings(res: Response): WarningSink {
  return (text) => {
    res.append('Warning', warningHeader(text));
  };
}
