// Duplicate keys in a JSON body, found as sigs.k8s.io/json's strict decoding finds them (UnmarshalStrict with
// DisallowDuplicateFields, internal/golang/encoding/json/decode.go): every key met again in the same object, named by
// its path — keys joined by `.`, array indexes as `[i]` (`spec.options.reason`, `items[0].name`) — and reported as
// `duplicate field "PATH"` next to the unknown fields. JSON.parse keeps the last value silently, so the raw body is
// kept for this (body-parser's `verify`) and scanned only by the handlers that decode a body.
import type { IncomingMessage } from 'node:http';

const rawBodies = new WeakMap<IncomingMessage, Buffer>();

/** Keeps the bytes of a JSON body, for duplicateFieldsOf (no copy: the parser's own buffer). */
export function keepRawBody(req: IncomingMessage, body: Buffer): void {
  rawBodies.set(req, body);
}

/** The paths of the duplicate keys of the request's JSON body, in document order, each once. */
export function duplicateFieldsOf(req: IncomingMessage): string[] {
  const body = rawBodies.get(req);
  return body ? duplicateFields(body.toString('utf8')) : [];
}

interface Frame {
  path: string;
  /** The keys met so far, for an object; undefined for an array. */
  keys?: Set<string>;
  key: string;
  index: number;
  expectKey: boolean;
}

const childPath = (frame: Frame): string =>
  frame.keys ? joinKey(frame.path, frame.key) : `${frame.path}[${frame.index}]`;
const joinKey = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** The paths of the duplicate keys in `text` (valid JSON: the body parser has accepted it). */
export function duplicateFields(text: string): string[] {
  const found = new Set<string>();
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      const top = stack.at(-1);
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (top.keys.has(key)) found.add(joinKey(top.path, key));
        else top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
    } else if (c === 0x7b || c === 0x5b) {
      const top = stack.at(-1);
      const path = top ? childPath(top) : '';
      stack.push({
        path,
        keys: c === 0x7b ? new Set() : undefined,
        key: '',
        index: 0,
        expectKey: c === 0x7b,
      });
    } else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x2c) {
      const top = stack.at(-1);
      if (top?.keys) top.expectKey = true;
      else if (top) top.index++;
    }
  }
  return [...found];
}

/**
 * What strict decoding reports: each unknown field, and each duplicate one that is not inside an unknown field (Go
 * skips an unknown field's value without looking into it).
 */
export function strictProblems(unknown: readonly string[], duplicates: readonly string[]): string[] {
  const inside = (path: string, field: string) =>
    path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
  const problems = [
    ...unknown.map((path) => `unknown field ${JSON.stringify(path)}`),
    ...duplicates
      .filter((path) => !unknown.some((field) => inside(path, field)))
      .map((path) => `duplicate field ${JSON.stringify(path)}`),
  ];
  return problems.slice(0, MAX_STRICT_ERRORS);
}

/** sigs.k8s.io/json keeps at most this many strict errors (saveStrictError). */
const MAX_STRICT_ERRORS = 100;
