import { tencentErrors } from './tencent-errors.js';

export type Params = Record<string, unknown>;

/** Tencent rejects parameters an action does not define, which catches misspelt field names early. */
export function rejectUnknownParams(params: Params, known: readonly string[]): void {
  const unknown = Object.keys(params).find((name) => !known.includes(name));
  if (unknown !== undefined) throw tencentErrors.unknownParameter(unknown);
}

/** InstanceIds: an array of at most 100 strings. */
export function instanceIdsParam(params: Params, required: boolean): string[] | undefined {
  const value = params['InstanceIds'];
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    if (required) throw tencentErrors.missingParameter('InstanceIds');
    return undefined;
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw tencentErrors.invalidParameter('`InstanceIds` must be an array of strings.');
  }
  if (value.length > 100) throw tencentErrors.limitExceeded('InstanceIds', 100);
  return value as string[];
}

export function enumParam<T extends string>(
  params: Params,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw tencentErrors.invalidParameterValue(`\`${name}\` must be one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

export function booleanParam(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw tencentErrors.invalidParameter(`\`${name}\` must be a boolean.`);
  return value;
}

export function integerParam(params: Params, name: string, fallback: number, max: number): number {
  const value = params[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw tencentErrors.invalidParameterValue(`\`${name}\` must be a non-negative integer.`);
  }
  if (value > max) throw tencentErrors.limitExceeded(name, max);
  return value;
}

export interface Filter {
  Name: string;
  Values: string[];
}

/** At most 10 filters of at most 5 values each. */
export function filtersParam(params: Params): Filter[] {
  const value = params['Filters'];
  if (value === undefined) return [];
  const isFilter = (f: unknown): f is Filter =>
    typeof f === 'object' &&
    f !== null &&
    typeof (f as Filter).Name === 'string' &&
    Array.isArray((f as Filter).Values) &&
    (f as Filter).Values.every((v) => typeof v === 'string');
  if (!Array.isArray(value) || !value.every(isFilter)) {
    throw tencentErrors.invalidParameter('`Filters` must be an array of {Name, Values}.');
  }
  if (value.length > 10) throw tencentErrors.limitExceeded('Filters', 10);
  const crowded = value.find((f) => f.Values.length > 5);
  if (crowded) throw tencentErrors.filterValuesLimit(crowded.Name);
  return value;
}
