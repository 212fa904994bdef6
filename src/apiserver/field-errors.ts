// Field validation errors as k8s.io/apimachinery/pkg/util/validation/field/errors.go builds and renders
// them (v0.36). Import as a namespace to read like Go: `field.required('spec.reason')`.
import { goJson, goQuote } from './go-format.js';

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** A bad value that is not printed (Go's omitValue). */
export const OMIT_VALUE: unique symbol = Symbol('omitValue');

export interface FieldError {
  readonly type: FieldErrorType;
  /** The field path as Go prints it, e.g. `spec.containers[0].name`. */
  readonly field: string;
  readonly badValue: unknown;
  readonly detail: string;
}

const fieldError = (type: FieldErrorType, field: string, badValue: unknown, detail = ''): FieldError => ({
  type,
  field,
  badValue,
  detail,
});

export const notFound = (field: string, value: unknown) => fieldError('FieldValueNotFound', field, value);
export const required = (field: string, detail = '') => fieldError('FieldValueRequired', field, '', detail);
export const duplicate = (field: string, value: unknown) => fieldError('FieldValueDuplicate', field, value);
export const invalid = (field: string, value: unknown, detail: string) =>
  fieldError('FieldValueInvalid', field, value, detail);
export const typeInvalid = (field: string, value: unknown, detail: string) =>
  fieldError('FieldValueTypeInvalid', field, value, detail);
export const forbidden = (field: string, detail: string) =>
  fieldError('FieldValueForbidden', field, '', detail);
export const internalError = (field: string, message: string) =>
  fieldError('InternalError', field, null, message);

export function notSupported(field: string, value: unknown, validValues: readonly string[]): FieldError {
  const detail = validValues.length ? `supported values: ${validValues.map(goQuote).join(', ')}` : '';
  return fieldError('FieldValueNotSupported', field, value, detail);
}

/** The value is never shown; the limit is in bytes (`len`). */
export function tooLong(field: string, maxLength: number): FieldError {
  const detail =
    maxLength >= 0
      ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}`
      : 'value is too long';
  return fieldError('FieldValueTooLong', field, '<value omitted>', detail);
}

export function tooMany(field: string, actualQuantity: number, maxQuantity: number): FieldError {
  const detail =
    maxQuantity >= 0
      ? `must have at most ${maxQuantity} ${maxQuantity === 1 ? 'item' : 'items'}`
      : 'has too many items';
  return fieldError('FieldValueTooMany', field, actualQuantity >= 0 ? actualQuantity : OMIT_VALUE, detail);
}

/** fmt's %v of a float64: strconv 'g' with the shortest digits, exponent form below 1e-4 and from 1e6. */
function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const [mantissa, exponentText] = v.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 6) return String(v);
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/**
 * The bad value as ErrorBody prints it: numbers and booleans with %v (a JS integer as a Go int64, any
 * other number as a float64), strings with %q, anything else as json.Marshal output.
 */
function renderValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? String(value) : goFloat(value);
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'string':
      return goQuote(value);
    default:
      return goJson(value, { sortKeys: true });
  }
}

/** Error.ErrorBody: the message without the field path, also used as the Status cause message. */
export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  const valueShown = ![
    'FieldValueRequired',
    'FieldValueForbidden',
    'FieldValueTooLong',
    'InternalError',
  ].includes(e.type);
  if (valueShown && e.badValue !== OMIT_VALUE) s += `: ${renderValue(e.badValue)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** Error.Error(): `<field>: <body>`. */
export function errorMessage(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/**
 * ErrorList.ToAggregate().Error(): duplicates dropped, one message alone, several as `[a, b]`;
 * undefined for an empty list (a nil aggregate).
 */
export function aggregateMessage(errors: readonly FieldError[]): string | undefined {
  const messages = [...new Set(errors.map(errorMessage))];
  if (messages.length === 0) return undefined;
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}
