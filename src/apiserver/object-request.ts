// What kube-apiserver checks of every object a client writes, before its spec: type meta that may be left out but
// not name another kind, unknown fields (reported as fieldValidation says), and a name or generateName completed
// with five random characters.
import { randomBytes } from 'node:crypto';
import * as field from './field-errors.js';
import { StatusError, badRequest } from './status.js';
import { VERSION } from './resource-catalog.js';

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** k8s.io/apiserver's SimpleNameGenerator: five characters from an alphabet without vowels or look-alikes. */
function generatedName(prefix: string, maxName: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const suffix = [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
  return `${prefix.slice(0, maxName - 5)}${suffix}`;
}

/** The paths of the keys of `object` that are not `allowed` (duplicate-fields.ts' strictProblems words them). */
export function unknownFields(object: Json, allowed: ReadonlySet<string>, prefix: string): string[] {
  return Object.keys(object)
    .filter((k) => !allowed.has(k))
    .map((k) => `${prefix}${k}`);
}

/** The body as an object, or the 400 encoding/json gives for anything else. */
export function objectBody(body: unknown, kind: string): Json {
  if (!isObject(body))
    throw new StatusError(badRequest(`json: cannot unmarshal into Go value of type v1.${kind}`));
  return body;
}

/** Type meta may be left out, but not name another kind. */
export function checkTypeMeta(group: string, kind: string, body: Json): void {
  const expected = `${group}/${VERSION}`;
  if ((body['apiVersion'] ?? expected) !== expected || (body['kind'] ?? kind) !== kind) {
    throw new StatusError(badRequest(`the object is not a ${kind} of ${expected}`));
  }
}

/** metadata.name, else one generated from metadata.generateName; an error pushed when neither is a valid name. */
export function objectName(metadata: Json, maxName: number, errors: field.FieldError[]): string {
  const given = metadata['name'];
  const prefix = metadata['generateName'];
  const name =
    typeof given === 'string' && given
      ? given
      : typeof prefix === 'string' && prefix
        ? generatedName(prefix, maxName)
        : '';
  if (!name) errors.push(field.required('metadata.name', 'name or generateName is required'));
  else if (!NAME.test(name) || name.length > maxName) {
    errors.push(
      field.invalid(
        'metadata.name',
        name,
        `must be a lowercase RFC 1123 label of at most ${maxName} characters`,
      ),
    );
  }
  return name;
}
