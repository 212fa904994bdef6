/** An ec2Query form value once its dotted keys are un-flattened: `InstanceId.1` becomes `InstanceId: [..]`. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormParams = Record<string, FormValue>;

/** Parses an x-www-form-urlencoded body into nested params; 1-based numeric segments become arrays. */
export function parseQueryForm(body: string): FormParams {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split('.');
    let node = root;
    for (const segment of path.slice(0, -1)) {
      const child = node[segment];
      node = (node[segment] = typeof child === 'object' && child !== null ? child : {}) as Record<
        string,
        unknown
      >;
    }
    node[path[path.length - 1]!] = value;
  }
  return toArrays(root) as FormParams;
}

function toArrays(node: unknown): FormValue {
  if (typeof node !== 'object' || node === null) return node as string;
  const entries = Object.entries(node as Record<string, unknown>);
  if (entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => toArrays(v));
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, toArrays(v)]));
}

export function stringList(params: FormParams, name: string): string[] {
  const value = params[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

export function stringParam(params: FormParams, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanParam(params: FormParams, name: string): boolean {
  return stringParam(params, name)?.toLowerCase() === 'true';
}

export interface Filter {
  name: string;
  values: string[];
}

export function filterParams(params: FormParams): Filter[] {
  const filters = params['Filter'];
  if (!Array.isArray(filters)) return [];
  return filters.flatMap((f) => {
    if (typeof f !== 'object' || Array.isArray(f) || typeof f['Name'] !== 'string') return [];
    return [{ name: f['Name'], values: stringList(f, 'Value') }];
  });
}
