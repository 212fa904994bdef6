// POSTs to our action subresources (restart, reset, stop, start) through kube-apiserver, and the Status checks the
// tests make on refused ones.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { viaApiserver, type DirectResponse } from './direct.js';
import { GROUP } from './server.js';

export interface StatusBody {
  kind: string;
  code: number;
  reason: string;
  message: string;
  details?: { name?: string; group?: string; kind?: string; retryAfterSeconds?: number };
}

/** Asserts a Status with the code, reason and message (exact, or matching), and returns it. */
export function assertStatus(
  res: DirectResponse,
  code: number,
  reason: string,
  message: RegExp | string,
): StatusBody {
  const status = res.json() as unknown as StatusBody;
  assert.equal(res.status, code, res.body);
  assert.equal(status.kind, 'Status', res.body);
  assert.equal(status.code, code);
  assert.equal(status.reason, reason);
  if (typeof message === 'string') assert.equal(status.message, message);
  else assert.match(status.message, message);
  return status;
}

export const actionPath = (node: string, subresource: string, query = '') =>
  `/apis/${GROUP}/v1/nodes/${node}/${subresource}${query}`;

/** POST nodes/NODE/SUBRESOURCE as the admin, or as the user whose certificate userKubeconfig wrote. */
export function postAction(
  cp: ControlPlaneInfo,
  node: string,
  subresource: string,
  opts: { body?: unknown; query?: string; user?: string } = {},
): Promise<DirectResponse> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const base = opts.user === undefined ? undefined : join(cp.dir, `user-${opts.user}`);
  return viaApiserver(
    cp,
    {
      method: 'POST',
      path: actionPath(node, subresource, opts.query),
      body,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    },
    ...(base === undefined ? [] : [{ cert: `${base}.crt`, key: `${base}.key` }]),
  );
}
