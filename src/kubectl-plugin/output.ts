// What every way of restarting prints the same: errors as kubectl words them, -o output, the exit status.
import { ApiError, ConnectError } from './api-error.js';
import type { Output } from './options.js';
import type { Writable } from './progress.js';
import { toYaml } from './yaml.js';

export interface Io {
  stdout: Writable;
  stderr: Writable;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const errorText = (err: unknown): string =>
  err instanceof ApiError || err instanceof ConnectError ? err.display : `error: ${(err as Error).message}`;

/** -o: json and yaml print the object (a List of several), name prints `kubectl get -o name` lines. */
export function printObjects(
  out: Writable,
  output: Output,
  objects: { metadata: { name: string } }[],
  nameOf: (name: string) => string,
): void {
  if (output === 'name') {
    for (const o of objects) out.write(`${nameOf(o.metadata.name)}\n`);
    return;
  }
  if (objects.length === 0) return;
  const doc =
    objects.length === 1 ? objects[0] : { apiVersion: 'v1', kind: 'List', metadata: {}, items: objects };
  out.write(output === 'json' ? `${JSON.stringify(doc, null, 4)}\n` : toYaml(doc));
}
